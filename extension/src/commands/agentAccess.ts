import * as vscode from 'vscode';
import { listWrits } from '../writs/agentsView';
import type { WritNode } from '../writs/agentsView';
import { requireTrust, showRequestError } from '../errors';
import { WritIssueRequest, WritRevokeRequest } from '../protocol';
import { noSidecarMessage } from '../sidecar/sidecarManager';
import { runningSidecar } from './helpers';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';
import { visibleIconLabel } from '../text/visibleText';

const effects = ['create', 'modify', 'delete', 'rename'];

function parseTtl(value: string): number | undefined {
  const match = /^(\d+)\s*([smhd])$/u.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** What a caller may fill in beforehand (e.g. "grant again" after a writ expired). */
interface GrantDefaults {
  agent?: string;
  include?: string[];
  effects?: string[];
}

function grantDefaults(arg: unknown): GrantDefaults {
  if (typeof arg !== 'object' || arg === null) {
    return {};
  }
  const { agent, include, effects: chosen } = arg as Record<string, unknown>;
  const strings = (v: unknown): string[] | undefined => Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  return { agent: typeof agent === 'string' ? agent : undefined, include: strings(include), effects: strings(chosen) };
}

/** openthymos.grantAgentAccess: issues a writ (agent, globs, effects, lifetime) and offers its token. */
export async function grantAgentAccess(services: Services, arg?: unknown): Promise<void> {
  const defaults = grantDefaults(arg);
  if (!requireTrust()) {
    return;
  }
  const running = services.sidecars.all.filter((s) => s.state === 'running');
  const sidecar = running.length <= 1 ? running[0] : (await vscode.window.showQuickPick(running.map((s) => ({ label: s.folder.name, s })), { placeHolder: 'Grant access in which folder?' }))?.s;
  if (sidecar === undefined) {
    if (running.length === 0) {
      await noSidecarMessage();
    }
    return;
  }
  const agent = await vscode.window.showInputBox({ title: 'Grant Agent Access (1/4)', prompt: 'Agent name', placeHolder: 'claude-code', value: defaults.agent, validateInput: (v) => v.trim() === '' ? 'Name the agent.' : undefined });
  if (agent === undefined) {
    return;
  }
  const include = await vscode.window.showInputBox({ title: 'Grant Agent Access (2/4)', prompt: 'Paths the agent may touch (globs, space-separated)', value: defaults.include?.join(' ') ?? 'src/**', validateInput: (v) => v.trim() === '' ? 'Give at least one glob.' : undefined });
  if (include === undefined) {
    return;
  }
  const picked = await vscode.window.showQuickPick(effects.map((e) => ({ label: e, picked: defaults.effects?.includes(e) ?? (e === 'create' || e === 'modify') })), { title: 'Grant Agent Access (3/4)', canPickMany: true, placeHolder: 'Allowed effects' });
  if (picked === undefined || picked.length === 0) {
    return;
  }
  const ttl = await vscode.window.showInputBox({ title: 'Grant Agent Access (4/4)', prompt: 'Lifetime (e.g. 30m, 8h, 2d)', value: '8h', validateInput: (v) => parseTtl(v) === undefined ? 'Use a number followed by s, m, h or d.' : undefined });
  const lifetimeSeconds = ttl === undefined ? undefined : parseTtl(ttl);
  if (lifetimeSeconds === undefined) {
    return;
  }
  try {
    const result = await sidecar.client.sendRequest(WritIssueRequest, {
      agent: agent.trim(),
      include: include.split(/\s+/u).filter((g) => g !== ''),
      effects: picked.map((p) => p.label),
      lifetimeSeconds,
    });
    services.agents.refresh();
    const choice = await showInformation(`OpenThymos: ${result.writ.agent} may now propose changes to ${result.writ.include.join(', ')} until ${result.writ.expiresAt}. Give the agent its token (THYMOS_WRIT).`, 'Copy Token');
    if (choice === 'Copy Token') {
      await vscode.env.clipboard.writeText(result.token);
    }
  } catch (error) {
    await showRequestError('Granting agent access', error);
  }
}

/** openthymos.revokeAgentAccess: revokes an active writ (the view item, or one picked from a list). */
export async function revokeAgentAccess(services: Services, arg?: unknown): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  let node = arg as WritNode | undefined;
  if (node?.writ === undefined) {
    const active = (await listWrits(services.sidecars)).filter((w) => w.writ.state === 'active');
    if (active.length === 0) {
      void showInformation('OpenThymos: no active writs to revoke.');
      return;
    }
    node = (await vscode.window.showQuickPick(active.map((w) => ({ label: visibleIconLabel(w.writ.agent), description: visibleIconLabel(`${w.writ.session} · ${w.writ.include.join(' ')}`), detail: visibleIconLabel(w.writ.writId), w })), { placeHolder: 'Revoke which writ?' }))?.w;
    if (node === undefined) {
      return;
    }
  }
  const sidecar = await runningSidecar(services, node.folderKey);
  if (sidecar === undefined) {
    return;
  }
  const reason = await vscode.window.showInputBox({ prompt: `Why revoke ${node.writ.agent}'s access? (recorded in the ledger)`, value: 'revoked in VS Code' });
  if (reason === undefined) {
    return;
  }
  try {
    await sidecar.client.sendRequest(WritRevokeRequest, { writId: node.writ.writId, reason });
    services.agents.refresh();
    void showInformation(`OpenThymos: ${node.writ.agent}'s writ is revoked; its pending proposals stay for you to decide.`);
  } catch (error) {
    await showRequestError('Revoking agent access', error);
  }
}
