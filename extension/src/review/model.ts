// Pure review logic (no vscode import): hunk line ranges, the pending tree's grouping, ages.
// Unit-tested by tests/node/model.test.mjs.
import type { HunkInfo, ProposalFileDetail, ProposalSummary } from '../protocol';

/** Lines of the editor a hunk covers (0-based, inclusive). */
export interface HunkLineRange {
  /** First line to decorate. */
  start: number;
  /** Last line to decorate (inclusive). */
  end: number;
  /** True when the hunk only adds lines (the range is the anchor line). */
  insertion: boolean;
}

/**
 * The lines a hunk covers in a document that equals the proposal's base plus the hunks approved
 * so far (which is what the sidecar leaves on disk). Approved hunks above this one shift it by
 * their added minus removed line counts.
 */
export function hunkLineRange(hunk: HunkInfo, allHunks: readonly HunkInfo[] = []): HunkLineRange {
  let shift = 0;
  for (const other of allHunks) {
    if (other.id !== hunk.id && other.status === 'approved' && other.baseStart < hunk.baseStart) {
      shift += other.added.length - other.removed.length;
    }
  }
  const start = hunk.baseStart + shift;
  if (hunk.removed.length === 0) {
    const anchor = Math.max(0, start - 1);
    return { start: anchor, end: anchor, insertion: true };
  }
  return { start, end: start + hunk.removed.length - 1, insertion: false };
}

/** A line of text without its terminator. */
export function stripTerminator(line: string): string {
  return line.replace(/\r?\n$|\r$/u, '');
}

/** Names a hunk in approve and reject selections (`path#hunkId`). */
export function hunkSelector(path: string, hunkId: string): string {
  return `${path}#${hunkId}`;
}

/** The pending hunks of a file of a proposal. */
export function pendingHunks(file: ProposalFileDetail): HunkInfo[] {
  return file.hunks.filter((h) => h.status === 'pending');
}

/** A file of a proposal in the pending tree. */
export interface PendingFileGroup {
  /** The proposal. */
  proposal: ProposalSummary;
  /** The path. */
  path: string;
  /** create, modify, delete or rename. */
  effect: string;
  /** Hunks still pending. */
  pendingCount: number;
  /** Hunks in all. */
  hunkCount: number;
  /** True when the proposal is stale: its file changed in the lines it edits, so it can no longer be applied. */
  stale: boolean;
}

/** One agent with its pending files in the pending tree. */
export interface PendingAgentGroup {
  /** The agent. */
  agent: string;
  /** Its files, newest proposal first, then by path. */
  files: PendingFileGroup[];
  /** Pending hunks across its files. */
  pendingCount: number;
}

/**
 * Groups pending and stale proposals by agent (alphabetically), then file. Files with nothing pending are
 * left out, except the files of a stale proposal, which stay listed (marked stale) until dismissed.
 */
export function groupPending(proposals: readonly ProposalSummary[]): PendingAgentGroup[] {
  const byAgent = new Map<string, PendingAgentGroup>();
  const sorted = [...proposals]
    .filter((p) => p.status === 'pending' || p.status === 'partiallyApproved' || p.status === 'stale')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const proposal of sorted) {
    const stale = proposal.status === 'stale';
    for (const file of proposal.files) {
      if (file.pendingCount <= 0 && !stale) {
        continue;
      }
      let group = byAgent.get(proposal.agent);
      if (group === undefined) {
        group = { agent: proposal.agent, files: [], pendingCount: 0 };
        byAgent.set(proposal.agent, group);
      }
      group.files.push({ proposal, path: file.path, effect: file.effect, pendingCount: file.pendingCount, hunkCount: file.hunkCount, stale });
      group.pendingCount += file.pendingCount;
    }
  }
  return [...byAgent.values()].sort((a, b) => a.agent.localeCompare(b.agent));
}

/** Pending hunks across proposals. */
export function countPending(proposals: readonly ProposalSummary[]): number {
  return groupPending(proposals).reduce((sum, g) => sum + g.pendingCount, 0);
}

/** A short age ("just now", "5m ago", "3h ago", "2d ago"). */
export function formatAge(isoTime: string, now: Date = new Date()): string {
  const then = Date.parse(isoTime);
  if (Number.isNaN(then)) {
    return '';
  }
  const seconds = Math.max(0, Math.floor((now.getTime() - then) / 1000));
  if (seconds < 60) {
    return 'just now';
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${String(minutes)}m ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${String(hours)}h ago`;
  }
  return `${String(Math.floor(hours / 24))}d ago`;
}

/** "1 hunk", "3 hunks". */
export function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * True when the document still shows what a hunk removes at its range (so decorations sit on the right
 * lines). `lineAt(i)` returns line i of the document without its terminator, or undefined past the end.
 * Pure insertions cannot be checked and count as matching.
 */
export function hunkMatchesDocument(hunk: HunkInfo, range: HunkLineRange, lineAt: (line: number) => string | undefined): boolean {
  if (range.insertion) {
    return true;
  }
  return hunk.removed.every((removed, k) => lineAt(range.start + k) === stripTerminator(removed));
}

/** The lines of a text, each with its own terminator (the last may have none). */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/gu) ?? [];
}

/**
 * The text a file would have if its pending and approved hunks were applied to its base: what the
 * proposal still proposes (rejected hunks left out). Falls back to the sidecar's `proposedText` when
 * no hunk was rejected or there is no base text.
 */
export function proposedTextOf(file: ProposalFileDetail): string | undefined {
  const kept = file.hunks.filter((h) => h.status !== 'rejected' && h.status !== 'failed');
  if (kept.length === file.hunks.length || file.baseText == null) {
    return file.proposedText ?? undefined;
  }
  const base = splitLines(file.baseText);
  const out: string[] = [];
  let next = 0;
  for (const hunk of [...kept].sort((a, b) => a.baseStart - b.baseStart)) {
    out.push(...base.slice(next, hunk.baseStart), ...hunk.added);
    next = hunk.baseStart + hunk.removed.length;
  }
  out.push(...base.slice(next));
  return out.join('');
}

/** The 0-based line where a hunk's added lines start in the proposed text (see `proposedTextOf`). */
export function proposedLineOf(hunk: HunkInfo, allHunks: readonly HunkInfo[]): number {
  let shift = 0;
  for (const other of allHunks) {
    if (other.id !== hunk.id && other.status !== 'rejected' && other.status !== 'failed' && other.baseStart < hunk.baseStart) {
      shift += other.added.length - other.removed.length;
    }
  }
  return hunk.baseStart + shift;
}
