// The text of the ledger report documents (no vscode import): Replay Ledger's report (verification,
// replayed world, drift), the drift report and the verification problems. Markdown, shown read-only; agent text (paths,
// messages echoing agent input, folder names) goes through visibleText.ts, so it renders literally and shows hidden characters.
// Unit-tested by tests/node/ledgerModel.test.mjs.
import type { DriftResultInfo, ProblemInfo, ReplayResultInfo, VerifyResultInfo } from '../protocol';
import { markdownCode, markdownText } from '../text/visibleText';

/** What Replay Ledger found in one folder. */
export interface ReplayReportInput {
  /** The workspace folder's name. */
  folderName: string;
  /** When the work ran. */
  generatedAt: Date;
  /** The verification result. */
  verify: VerifyResultInfo;
  /** The replayed world (absent when verification failed and replay was not trusted to run, or was cancelled). */
  replay?: ReplayResultInfo;
  /** The drift between the world and the disk. */
  drift?: DriftResultInfo;
}

/** "Verified: 0 problems (12 entries, 4 blobs checked, head anchor compared)" or "NOT verified: 2 problems (…)". */
export function verifySummary(verify: VerifyResultInfo): string {
  const counts = `${String(verify.entriesChecked)} entries, ${String(verify.blobsChecked)} blobs checked${verify.anchorChecked ? ', head anchor compared' : ''}`;
  const problems = `${String(verify.problems.length)} problem${verify.problems.length === 1 ? '' : 's'}`;
  return `${verify.valid ? 'Verified' : 'NOT verified'}: ${problems} (${counts})`;
}

/** One line per problem, naming the entry. */
export function problemLine(problem: ProblemInfo): string {
  return `- ${problem.seq == null ? 'whole ledger' : `entry #${String(problem.seq)}`} — ${markdownCode(problem.code)}: ${markdownText(problem.message)}`;
}

function driftLines(drift: DriftResultInfo): string[] {
  if (drift.items.length === 0) {
    return [`No drift: every file the ledger knows matches the disk (ledger head #${String(drift.seq)}).`];
  }
  const explain: Record<string, string> = {
    changedOutsideLedger: 'changed outside the ledger',
    missing: 'missing on disk',
    unexpected: 'on disk although the ledger deleted it',
    notARegularFile: 'a symbolic link or special file where the ledger has a file (not read through)',
    pendingRedo: 'committed, not yet written (recovery writes it when the sidecar restarts)',
  };
  return [
    `${String(drift.items.length)} file(s) differ from the ledger at #${String(drift.seq)}:`,
    '',
    '| file | drift | last set by | ledger hash | disk hash |',
    '| --- | --- | --- | --- | --- |',
    ...drift.items.map((i) => `| ${markdownCode(i.path).replace(/\|/gu, '\\|')} | ${explain[i.kind] ?? markdownText(i.kind)} | entry #${String(i.lastEntrySeq)} | ${short(i.expected)} | ${short(i.actual)} |`),
    '',
    'Drift is not tampering with the ledger: someone (or a tool) changed these files without a proposal. Review them; an agent proposal against such a file is refused as stale until it is rebased.',
    ...(drift.items.some((i) => i.kind === 'pendingRedo')
      ? ['', 'Files marked "committed, not yet written" were approved and committed, but the sidecar stopped before moving them into place. Nothing is lost and nothing changed outside the ledger: recovery writes them from the ledger when the sidecar restarts.']
      : []),
  ];
}

function short(hash: string | null | undefined): string {
  return hash == null ? '—' : `\`${hash.slice(0, 12)}\``;
}

/** The Replay Ledger report. */
export function replayReportMarkdown(input: ReplayReportInput): string {
  const { verify, replay, drift } = input;
  const lines = [
    `# Ledger replay report — ${markdownText(input.folderName)}`,
    '',
    `Generated ${input.generatedAt.toISOString()}.`,
    '',
    '## Verification',
    '',
    `**${verifySummary(verify)}**`,
    '',
  ];
  if (verify.valid) {
    lines.push('Every entry hash, parent link, payload and blob checked out: the ledger was not changed, truncated or reordered outside the sidecar.');
  } else {
    lines.push(...verify.problems.map(problemLine), '', 'Do not approve anything until you know why: restore the ledger from a backup, or keep this report as evidence.');
  }
  lines.push('', '## Replay', '');
  if (replay === undefined) {
    lines.push('Not replayed.');
  } else {
    const live = replay.files.filter((f) => f.hash != null);
    const deleted = replay.files.length - live.length;
    lines.push(
      `Replayed ${String(replay.seq)} entries (up to #${String(replay.seq)}): ${String(live.length)} file(s) in the rebuilt world${deleted > 0 ? `, ${String(deleted)} deleted by the ledger` : ''}.`,
      '',
      ...replay.files.map((f) => `- ${markdownCode(f.path)} ${f.hash == null ? '(deleted)' : short(f.hash)}`),
    );
  }
  lines.push('', '## Drift', '');
  lines.push(...(drift === undefined ? ['Not checked.'] : driftLines(drift)));
  return lines.join('\n') + '\n';
}

/** The Show Drift report. */
export function driftReportMarkdown(folderName: string, drift: DriftResultInfo, generatedAt: Date): string {
  return [`# Drift report — ${markdownText(folderName)}`, '', `Generated ${generatedAt.toISOString()}.`, '', ...driftLines(drift)].join('\n') + '\n';
}

/** The Verify Ledger report (shown from a failed verification's "Show Report"). */
export function verifyReportMarkdown(folderName: string, verify: VerifyResultInfo, generatedAt: Date): string {
  return [
    `# Ledger verification — ${markdownText(folderName)}`,
    '',
    `Generated ${generatedAt.toISOString()}.`,
    '',
    `**${verifySummary(verify)}**`,
    '',
    ...(verify.valid ? ['The ledger is intact.'] : [...verify.problems.map(problemLine), '', 'Do not approve anything until you know why: restore the ledger from a backup, or keep this report as evidence.']),
  ].join('\n') + '\n';
}
