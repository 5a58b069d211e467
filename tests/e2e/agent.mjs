// A scripted agent for the real-editor e2e test: talks to the sidecar that the extension started,
// over its agent socket (<key dir>/<workspaceId>/agent.sock), through the shared client in
// extension/scripts/sidecar-socket.mjs.
//   1. waitForSidecar(keyDir): polls for agent.sock and operator.token.
//   2. issueWrit(): operator session (session/open with the operator token) -> writ/issue.
//   3. Agent session (session/open with the writ token) -> file/read -> intent/submit.
import { openSession, waitForSidecar } from '../../extension/scripts/sidecar-socket.mjs';

export { openSession, waitForSidecar };

/** Issues a writ through an operator session and returns its token. */
export async function issueWrit(sidecar, { agent = 'e2e-agent', include = ['**'], effects = ['create', 'modify'], lifetimeSeconds = 3600 } = {}) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  try {
    if (operator.role !== 'operator') throw new Error(`operator token opened a '${operator.role}' session`);
    const issued = await operator.request('writ/issue', { agent, include, effects, lifetimeSeconds });
    return issued.token;
  } finally {
    operator.dispose();
  }
}

let nonceCounter = 0;

/**
 * As the agent: reads `path` and submits one modify intent with the given search/replace edits.
 * Returns the intent/submit result ({outcome, proposalId, status, message}).
 */
export async function proposeEdits(sidecar, writToken, path, edits, description = 'e2e edit') {
  const agent = await openSession(sidecar.socketPath, writToken);
  try {
    if (agent.role !== 'agent') throw new Error(`writ token opened a '${agent.role}' session`);
    const read = await agent.request('file/read', { path });
    return await agent.request('intent/submit', {
      nonce: `e2e-${process.pid}-${Date.now()}-${++nonceCounter}`,
      description,
      files: [{ kind: 'modify', path, baseHash: read.hash, edits }],
    });
  } finally {
    agent.dispose();
  }
}

/** As the operator: runs one editor-surface request (e.g. proposal/list) for checks. */
export async function operatorRequest(sidecar, method, params) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  try {
    return await operator.request(method, params);
  } finally {
    operator.dispose();
  }
}

// Command line, for trying it by hand: node tests/e2e/agent.mjs KEY_DIR PATH SEARCH REPLACE [SEARCH REPLACE ...]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [keyDir, path, ...pairs] = process.argv.slice(2);
  if (!keyDir || !path || pairs.length < 2 || pairs.length % 2) {
    console.error('usage: node tests/e2e/agent.mjs KEY_DIR PATH SEARCH REPLACE [SEARCH REPLACE ...]');
    process.exit(2);
  }
  const edits = [];
  for (let i = 0; i < pairs.length; i += 2) edits.push({ search: pairs[i], replace: pairs[i + 1] });
  const sidecar = await waitForSidecar(keyDir, 30000);
  const token = await issueWrit(sidecar);
  console.log(JSON.stringify(await proposeEdits(sidecar, token, path, edits), null, 2));
  process.exit(0);
}
