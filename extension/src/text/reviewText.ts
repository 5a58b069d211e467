// The text every review surface builds from agent data (Pending view, hovers, ghost text, CodeLens, Agents view, Ledger
// Timeline, QuickPicks, diff titles, bulk confirmations), each through visibleText.ts. No vscode import: the surfaces
// wrap these strings (hovers as MarkdownString with isTrusted and supportHtml false), and tests/node/reviewText.test.mjs
// checks each builder against hostile text.
import { stripTerminator } from '../review/model';
import type { EntrySummary, HunkInfo, ProposalSummary, WritInfo } from '../protocol';
import { boundedLine, hiddenCharactersWarning, longestBacktickRun, markdownCode, markdownText, notificationText, visibleBlock, visibleIconLabel, visibleLine } from './visibleText';

/** Longest first line shown in a Pending view hunk label. */
const hunkLabelExcerpt = 60;

/** A hunk's row in the Pending view: id, line, counts, a warning for hidden characters, and its first line. */
export function pendingHunkLabel(hunk: HunkInfo, line: number, conflict: boolean): string {
  const first = stripTerminator(hunk.added[0] ?? hunk.removed[0] ?? '').trim();
  const warning = hunk.hiddenCharacters.length > 0 ? ` · ⚠ hidden characters ${hunk.hiddenCharacters.join(' ')}` : '';
  const excerpt = first === '' ? '' : ` · ${boundedLine(first, hunkLabelExcerpt)}`;
  return `${visibleLine(hunk.id)} · line ${String(line + 1)}${conflict ? ' · conflict: you edited these lines' : ''}${warning} · -${String(hunk.removed.length)} +${String(hunk.added.length)}${excerpt}`;
}

/** The tooltip (Markdown) of a file of a pending proposal in the Pending view. */
export function proposalFileTooltipMarkdown(proposal: ProposalSummary): string {
  const warning = hiddenCharactersWarning(proposal.hiddenCharacters, 'proposal');
  return `**${proposal.description === '' ? '(no description)' : markdownText(proposal.description, 'multiLine')}**\n\n`
    + `Proposal ${markdownCode(proposal.proposalId)} revision ${String(proposal.revision)} by ${markdownCode(proposal.agent)}, ${markdownText(proposal.createdAt)}`
    + (warning === '' ? '' : `\n\n**${markdownText(warning)}**`);
}

/** The tooltip (Markdown) of a stale file in the Pending view. */
export function staleFileTooltipMarkdown(proposal: ProposalSummary, path: string): string {
  return `**Stale proposal** ${markdownCode(proposal.proposalId)} by ${markdownCode(proposal.agent)}\n\n`
    + `${markdownText(path)} changed on disk in the lines this proposal edits after the agent proposed it, so it can no longer be applied; nothing was written.\n\n`
    + `${markdownText(proposal.reason ?? '', 'multiLine')}\n\n`
    + '**What to do:** *Show Diff* compares the file as it is now with what the agent wanted; *Reject* removes it from this list. Ask the agent to read the file again and propose anew.';
}

/** The hover (Markdown) over a pending hunk's lines: who proposes it, why, a warning for hidden characters, and the added lines. */
export function hunkHoverMarkdown(proposal: ProposalSummary, hunk: HunkInfo): string {
  const added = hunk.added.map((line) => visibleBlock(stripTerminator(line)));
  const warning = hiddenCharactersWarning(hunk.hiddenCharacters);
  return `**OpenThymos** — ${markdownText(proposal.agent)} proposes hunk ${markdownCode(hunk.id)} (${proposal.description === '' ? 'no description' : markdownText(proposal.description)})\n\n`
    + (warning === '' ? '' : `**${markdownText(warning)}** — they are shown as markers below.\n\n`)
    + (added.length > 0 ? codeBlock(added) : '_Removes these lines._');
}

/** The hover (Markdown) over lines the user edited under a pending hunk. */
export function conflictHoverMarkdown(proposal: ProposalSummary, hunk: HunkInfo): string {
  return `**OpenThymos — conflict:** you edited lines that ${markdownText(proposal.agent)} proposes to replace (hunk ${markdownCode(hunk.id)}). `
    + 'Approving it now would overwrite your edit, so it is refused. Undo your edit to review the hunk again, save it (the proposal then becomes stale), or reject the hunk.';
}

/** The ghost text after a changed hunk's last line: the one added line, bounded, or a count. */
export function changedGhostText(hunk: HunkInfo): string {
  const added = hunk.added;
  return added.length === 1 ? `  → ${boundedLine(stripTerminator(added[0] ?? ''))}` : added.length > 1 ? `  → ${String(added.length)} lines proposed (hover to see them)` : '  → (lines removed)';
}

/** The ghost text where a hunk inserts lines: the one added line, bounded, or a count. */
export function insertionGhostText(hunk: HunkInfo): string {
  const added = hunk.added;
  return `  + ${added.length === 1 ? boundedLine(stripTerminator(added[0] ?? '')) : `${String(added.length)} lines proposed below (hover)`}`;
}

/** The CodeLens tooltip of a conflicting hunk. */
export function conflictLensTooltip(proposal: ProposalSummary, hunk: HunkInfo): string {
  return `You changed lines of hunk ${visibleLine(hunk.id)} that ${visibleLine(proposal.agent)} proposes to replace. It cannot be approved as it is: undo your edit, or save it (the proposal then becomes stale), or reject the hunk.`;
}

/** The warning CodeLens of a hunk holding hidden characters, or undefined when it holds none. */
export function hiddenCharactersLens(hunk: HunkInfo): { title: string; tooltip: string } | undefined {
  if (hunk.hiddenCharacters.length === 0) {
    return undefined;
  }
  return {
    title: `$(warning) Hidden characters: ${hunk.hiddenCharacters.join(' ')}`,
    tooltip: `Hunk ${visibleLine(hunk.id)} holds characters that do not show as written (controls, bidirectional or invisible): ${hunk.hiddenCharacters.join(' ')}. The diff shows them as markers; review it before approving.`,
  };
}

/** A hunk that holds hidden characters, named for a confirmation. */
export interface MarkedHunk {
  /** `path#hunkId`. */
  key: string;
  /** Its hidden characters (`U+XXXX`). */
  characters: readonly string[];
}

/** The hunks of a proposal about to be approved in bulk that hold hidden characters (all pending ones, or those of the named files). */
export function markedHunks(files: readonly { path: string; hunks: readonly HunkInfo[] }[], onlyFiles?: readonly string[]): MarkedHunk[] {
  return files
    .filter((f) => onlyFiles === undefined || onlyFiles.includes(f.path))
    .flatMap((f) => f.hunks.filter((h) => h.status === 'pending' && h.hiddenCharacters.length > 0).map((h) => ({ key: `${f.path}#${h.id}`, characters: h.hiddenCharacters })));
}

/** The modal that asks before approving marked hunks in bulk; it names the hunks and the characters. */
export function bulkHiddenCharactersConfirmation(marked: readonly MarkedHunk[]): { message: string; detail: string } {
  const characters = [...new Set(marked.flatMap((m) => m.characters))].sort((a, b) => parseInt(a.slice(2), 16) - parseInt(b.slice(2), 16));
  const shown = marked.slice(0, 10).map((m) => notificationText(m.key));
  return {
    message: `${String(marked.length)} hunk(s) to approve contain hidden or control characters: ${characters.join(' ')}`,
    detail: `${shown.join(', ')}${marked.length > shown.length ? ` and ${String(marked.length - shown.length)} more` : ''}. `
      + 'These characters can hide or reorder what the lines do (terminal escapes, bidirectional text, invisible characters). Review those hunks in the diff, where they show as markers, or approve them anyway.',
  };
}

/** A writ's row in the Agents view: label and description. */
export function writLabel(writ: WritInfo): { label: string; description: string } {
  return {
    label: `${visibleLine(writ.agent)} (${visibleLine(writ.session)})`,
    description: `${writ.state} · ${writ.effects.map(visibleLine).join(',')} · ${writ.include.map(visibleLine).join(' ')}`,
  };
}

/** A writ's tooltip (Markdown) in the Agents view. */
export function writTooltipMarkdown(w: WritInfo): string {
  return [
    `**Writ** ${markdownCode(w.writId)}`,
    `Include: ${w.include.map((g) => markdownText(g)).join(', ')}`,
    `Exclude: ${w.exclude.map((g) => markdownText(g)).join(', ') || '(none)'}`,
    `Effects: ${w.effects.map((e) => markdownText(e)).join(', ')}`,
    `Issued ${markdownText(w.issuedAt)}, expires ${markdownText(w.expiresAt)}`,
    `Proposals ${String(w.proposalsUsed)}/${w.maxProposals == null ? '∞' : String(w.maxProposals)}, files ${String(w.filesUsed)}/${w.maxFiles == null ? '∞' : String(w.maxFiles)}, bytes ${String(w.bytesUsed)}/${w.maxBytes == null ? '∞' : String(w.maxBytes)}`,
  ].join('\n\n');
}

/** A ledger entry's label, description and tooltip (Markdown) in the Ledger Timeline. */
export function timelineEntryText(entry: EntrySummary, kindLabel: string, fileChange: boolean, age: string, pathsLabel: string): { label: string; description: string; tooltip: string } {
  const label = fileChange && entry.paths.length > 0 ? `${kindLabel} · ${visibleLine(pathsLabel)}` : visibleLine(entry.summary);
  const tooltip = [
    `**#${String(entry.seq)} ${markdownText(kindLabel)}** (${markdownCode(entry.kind)})`,
    markdownText(entry.summary, 'multiLine'),
    `by ${markdownCode(entry.actor)} at ${markdownText(entry.time)}`,
    ...(entry.proposalId != null ? [`proposal ${markdownCode(entry.proposalId)}`] : []),
    ...(entry.paths.length > 0 ? [entry.paths.map(markdownCode).join(', ')] : []),
    `hash ${markdownCode(entry.hash)}`,
  ].join('\n\n');
  return { label, description: `#${String(entry.seq)} · ${visibleLine(entry.actor)} · ${age}`, tooltip };
}

/** A ledger entry as a QuickPick item's text (QuickPicks read `$(icon)`, so agent text has it escaped). */
export function entryPickText(entry: EntrySummary, kindIcon: string, kindLabel: string, age: string): { label: string; description: string; detail: string } {
  const summary = visibleIconLabel(entry.summary);
  return {
    label: `$(${kindIcon}) #${String(entry.seq)} ${kindLabel}`,
    description: `${visibleIconLabel(entry.actor)} · ${age}`,
    detail: entry.paths.length > 0 ? `${summary} — ${entry.paths.map(visibleIconLabel).join(', ')}` : summary,
  };
}

/** A diff editor title naming agent text (paths, agent, proposal id). */
export function diffTitle(parts: readonly string[]): string {
  return parts.map(visibleLine).join('');
}

function codeBlock(lines: readonly string[]): string {
  // A fence longer than any backtick run in the lines, so no line can close it and turn the rest into Markdown.
  const longest = Math.max(2, ...lines.map(longestBacktickRun));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

