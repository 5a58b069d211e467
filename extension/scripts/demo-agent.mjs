// The demo's agents: two scripted agents ("claude-code" and "aider") that propose edits to the demo project
// through a running sidecar's agent socket (<key dir>/<workspace id>/agent.sock), the way a real agent does
// through `thymos mcp`. The operator token (owner-only, next to the socket) lets the demo issue their writs.
// Used by demo.mjs; by hand: node extension/scripts/demo-agent.mjs KEY_DIR
import { openSession, waitForSidecar } from './sidecar-socket.mjs';

export { waitForSidecar };

/** What each demo agent proposes: several files, several hunks, one proposal per agent. */
export const demoProposals = [
  {
    agent: 'claude-code',
    include: ['src/**'],
    description: 'Count quantities in the cart total, refuse bad quantities, and print prices with two decimals',
    files: [
      {
        path: 'src/cart.js',
        edits: [
          {
            search: '  add(product, quantity = 1) {\n    const line',
            replace: '  add(product, quantity = 1) {\n    if (!Number.isInteger(quantity) || quantity < 1) {\n      throw new RangeError(`quantity must be a whole number of at least 1, not ${quantity}`);\n    }\n    const line',
          },
          { search: '      sum += line.product.price;', replace: '      sum += line.product.price * line.quantity;' },
        ],
      },
      { path: 'src/format.js', edits: [{ search: '  return currency + amount;', replace: '  return currency + amount.toFixed(2);' }] },
    ],
  },
  {
    agent: 'aider',
    include: ['README.md', 'test/**'],
    description: 'Document the total and test that it counts every item',
    files: [
      { path: 'README.md', edits: [{ search: 'console.log(cart.total());', replace: 'console.log(cart.total()); // 9' }] },
      {
        path: 'test/cart.test.js',
        edits: [{
          search: '  assert.equal(cart.count, 1);\n});\n',
          replace: "  assert.equal(cart.count, 1);\n});\n\ntest('the total counts every item', () => {\n  const cart = new Cart().add(tea, 2).add(mug);\n  assert.equal(cart.total(), 21);\n});\n",
        }],
      },
    ],
  },
];

/** Grants each demo agent a writ and submits its proposal; returns [{agent, proposalId, hunks}]. */
export async function runDemoAgents(sidecar) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  const submitted = [];
  try {
    for (const proposal of demoProposals) {
      const { token } = await operator.request('writ/issue', { agent: proposal.agent, include: proposal.include, effects: ['modify'], lifetimeSeconds: 8 * 3600 });
      const agent = await openSession(sidecar.socketPath, token);
      try {
        const files = [];
        for (const file of proposal.files) {
          const read = await agent.request('file/read', { path: file.path });
          files.push({ kind: 'modify', path: file.path, baseHash: read.hash, edits: file.edits });
        }
        const result = await agent.request('intent/submit', { nonce: `demo-${proposal.agent}-${Date.now()}`, description: proposal.description, files });
        if (result.outcome !== 'staged') {
          throw new Error(`the sidecar did not stage ${proposal.agent}'s proposal: ${result.outcome} (${result.message ?? 'no message'})`);
        }
        const detail = await operator.request('proposal/get', { proposalId: result.proposalId });
        submitted.push({ agent: proposal.agent, proposalId: result.proposalId, files: detail.files.length, hunks: detail.files.reduce((n, f) => n + f.hunks.length, 0) });
      } finally {
        agent.dispose();
      }
    }
  } finally {
    operator.dispose();
  }
  return submitted;
}

/** Asks the sidecar (as operator) which proposals are pending: [{proposalId, agent}]. */
export async function pendingProposals(sidecar) {
  const operator = await openSession(sidecar.socketPath, sidecar.operatorToken);
  try {
    const list = await operator.request('proposal/list', { statuses: ['pending'] });
    return list.proposals.map((p) => ({ proposalId: p.proposalId, agent: p.agent }));
  } finally {
    operator.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const keyDir = process.argv[2];
  if (!keyDir) {
    console.error('usage: node extension/scripts/demo-agent.mjs KEY_DIR   (the key directory of a running sidecar)');
    process.exit(2);
  }
  console.log(JSON.stringify(await runDemoAgents(await waitForSidecar(keyDir)), null, 2));
  process.exit(0);
}
