// The audit report (no vscode import): ledger entries in, a JSON document and a self-contained HTML page out.
// The HTML has no scripts and no external resources (inline CSS and an inline SVG chart of activity per agent
// over time), so it can be archived or mailed as one file. Unit-tested by tests/node/auditReport.test.mjs.
import { agentOfActor, EntryKinds, entryKindStyle } from '../entryKinds';
import type { EntrySummary, VerifyResultInfo } from '../protocol';
import { visibleJson, visibleLine } from '../text/visibleText';

/** What the report is built from. */
export interface AuditReportInput {
  /** The workspace folder's name. */
  workspace: string;
  /** When the report was made. */
  generatedAt: Date;
  /** The ledger head seq when the entries were read. */
  headSeq: number;
  /** Every entry (any order). */
  entries: readonly EntrySummary[];
  /** The verification result at export time. */
  verify: VerifyResultInfo;
}

/** One agent's totals. */
export interface AgentActivity {
  /** The agent's name. */
  agent: string;
  /** Entries attributed to it (its own, plus decisions and commits of its proposals). */
  entries: number;
  /** Proposal revisions it staged. */
  proposals: number;
  /** Commits of its proposals. */
  commits: number;
  /** Rejections of its proposals or intents. */
  rejections: number;
  /** Its first and last entry (ISO 8601). */
  first: string;
  last: string;
}

/** Entries per agent in equal time buckets. */
export interface ActivitySeries {
  /** Start of each bucket (ISO 8601). */
  bucketStarts: string[];
  /** Bucket width in milliseconds. */
  bucketMs: number;
  /** Per agent, the entry count in each bucket. */
  series: Record<string, number[]>;
}

/** The report as data; `json` is this, serialized. */
export interface AuditReport {
  format: 'openthymos-audit-report';
  version: 1;
  workspace: string;
  generatedAt: string;
  headSeq: number;
  verification: VerifyResultInfo;
  totals: { entries: number; byKind: Record<string, number>; byActor: Record<string, number> };
  agents: AgentActivity[];
  activity: ActivitySeries;
  /** Every entry, oldest first. */
  entries: EntrySummary[];
}

/** The most time buckets in the chart. */
export const maxBuckets = 24;

/**
 * The agent each entry concerns: its actor when that is an agent, else the agent that staged the proposal the
 * entry names (approvals, commits and rejections are made by humans or the runtime, but concern the agent).
 */
export function attributeEntries(entries: readonly EntrySummary[]): Map<number, string> {
  const agentOfProposal = new Map<string, string>();
  for (const e of entries) {
    const agent = agentOfActor(e.actor);
    if (agent !== undefined && e.proposalId != null && !agentOfProposal.has(e.proposalId)) {
      agentOfProposal.set(e.proposalId, agent);
    }
  }
  const result = new Map<number, string>();
  for (const e of entries) {
    const agent = agentOfActor(e.actor) ?? (e.proposalId != null ? agentOfProposal.get(e.proposalId) : undefined);
    if (agent !== undefined) {
      result.set(e.seq, agent);
    }
  }
  return result;
}

/** Splits the span of the attributed entries into at most `maxBuckets` equal buckets and counts per agent. */
export function activityOverTime(entries: readonly EntrySummary[], attribution: Map<number, string>): ActivitySeries {
  const timed = entries.filter((e) => attribution.has(e.seq)).map((e) => ({ agent: attribution.get(e.seq) ?? '', at: Date.parse(e.time) })).filter((e) => !Number.isNaN(e.at));
  if (timed.length === 0) {
    return { bucketStarts: [], bucketMs: 0, series: {} };
  }
  const start = Math.min(...timed.map((e) => e.at));
  const end = Math.max(...timed.map((e) => e.at));
  const span = end - start;
  const bucketCount = span === 0 ? 1 : maxBuckets;
  const bucketMs = span === 0 ? 60_000 : Math.ceil((span + 1) / bucketCount);
  const series: Record<string, number[]> = {};
  for (const e of timed) {
    const counts = series[e.agent] ?? new Array<number>(bucketCount).fill(0);
    const index = Math.min(bucketCount - 1, Math.floor((e.at - start) / bucketMs));
    counts[index] = (counts[index] ?? 0) + 1;
    series[e.agent] = counts;
  }
  const bucketStarts = Array.from({ length: bucketCount }, (_, i) => new Date(start + i * bucketMs).toISOString());
  return { bucketStarts, bucketMs, series };
}

/** Builds the report data. */
export function buildAuditReport(input: AuditReportInput): AuditReport {
  const entries = [...input.entries].sort((a, b) => a.seq - b.seq);
  const attribution = attributeEntries(entries);
  const byKind: Record<string, number> = {};
  const byActor: Record<string, number> = {};
  const agents = new Map<string, AgentActivity>();
  for (const e of entries) {
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    byActor[e.actor] = (byActor[e.actor] ?? 0) + 1;
    const agent = attribution.get(e.seq);
    if (agent === undefined) {
      continue;
    }
    const a = agents.get(agent) ?? { agent, entries: 0, proposals: 0, commits: 0, rejections: 0, first: e.time, last: e.time };
    a.entries++;
    a.proposals += e.kind === EntryKinds.ProposalStaged ? 1 : 0;
    a.commits += e.kind === EntryKinds.Commit ? 1 : 0;
    a.rejections += e.kind === EntryKinds.Rejection ? 1 : 0;
    a.last = e.time;
    agents.set(agent, a);
  }
  return {
    format: 'openthymos-audit-report',
    version: 1,
    workspace: input.workspace,
    generatedAt: input.generatedAt.toISOString(),
    headSeq: input.headSeq,
    verification: input.verify,
    totals: { entries: entries.length, byKind, byActor },
    agents: [...agents.values()].sort((a, b) => a.agent.localeCompare(b.agent)),
    activity: activityOverTime(entries, attribution),
    entries,
  };
}

/** The report as pretty-printed JSON; bidirectional and invisible characters are written as `\uXXXX` escapes (same data, visible in any viewer). */
export function auditReportJson(report: AuditReport): string {
  return visibleJson(JSON.stringify(report, null, 2)) + '\n';
}

/**
 * Escapes text for HTML element content and attribute values, after neutralizing it (visibleText.ts): controls,
 * bidirectional and invisible characters show as `<U+XXXX>` markers instead of reordering or hiding the report's text.
 */
export function escapeHtml(text: string): string {
  return visibleLine(text).replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;').replace(/'/gu, '&#39;');
}

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

/** An inline SVG line chart of entries per agent per time bucket. */
export function activityChartSvg(activity: ActivitySeries): string {
  const agents = Object.keys(activity.series).sort();
  if (agents.length === 0 || activity.bucketStarts.length === 0) {
    return '<p class="muted">No agent activity in the ledger yet.</p>';
  }
  const width = 720;
  const height = 260;
  const left = 40;
  const right = 150;
  const top = 16;
  const bottom = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const buckets = activity.bucketStarts.length;
  const peak = Math.max(1, ...agents.flatMap((a) => activity.series[a] ?? []));
  const x = (i: number): number => left + (buckets === 1 ? plotWidth / 2 : (i * plotWidth) / (buckets - 1));
  const y = (v: number): number => top + plotHeight - (v * plotHeight) / peak;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" role="img" aria-label="Ledger entries per agent over time">`,
    `<title>Ledger entries per agent over time</title>`,
    `<line x1="${String(left)}" y1="${String(top + plotHeight)}" x2="${String(left + plotWidth)}" y2="${String(top + plotHeight)}" stroke="#888"/>`,
    `<line x1="${String(left)}" y1="${String(top)}" x2="${String(left)}" y2="${String(top + plotHeight)}" stroke="#888"/>`,
    `<text x="${String(left - 6)}" y="${String(top + 4)}" text-anchor="end" font-size="11">${String(peak)}</text>`,
    `<text x="${String(left - 6)}" y="${String(top + plotHeight)}" text-anchor="end" font-size="11">0</text>`,
    `<text x="${String(left)}" y="${String(height - 12)}" font-size="11">${escapeHtml(activity.bucketStarts[0] ?? '')}</text>`,
    `<text x="${String(left + plotWidth)}" y="${String(height - 12)}" text-anchor="end" font-size="11">${escapeHtml(activity.bucketStarts[buckets - 1] ?? '')}</text>`,
  ];
  agents.forEach((agent, index) => {
    const color = palette[index % palette.length] ?? '#000';
    const counts = activity.series[agent] ?? [];
    const points = counts.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" data-agent="${escapeHtml(agent)}" fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
    counts.forEach((v, i) => {
      if (v > 0) {
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"><title>${escapeHtml(agent)}: ${String(v)} entr${v === 1 ? 'y' : 'ies'} from ${escapeHtml(activity.bucketStarts[i] ?? '')}</title></circle>`);
      }
    });
    const legendY = top + 14 + index * 18;
    parts.push(`<rect x="${String(left + plotWidth + 16)}" y="${String(legendY - 9)}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${String(left + plotWidth + 32)}" y="${String(legendY)}" font-size="12">${escapeHtml(agent)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function table(headers: string[], rows: string[][]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The readable, self-contained HTML report. */
export function auditReportHtml(report: AuditReport): string {
  const v = report.verification;
  const verdict = v.valid
    ? `Verified: 0 problems (${String(v.entriesChecked)} entries, ${String(v.blobsChecked)} blobs checked${v.anchorChecked ? ', head anchor compared' : ''}).`
    : `NOT verified: ${String(v.problems.length)} problem(s) (${String(v.entriesChecked)} entries checked).`;
  const problems = v.problems.length === 0 ? '' : table(['entry', 'code', 'problem'], v.problems.map((p) => [p.seq == null ? 'ledger' : `#${String(p.seq)}`, p.code, p.message]));
  const title = `OpenThymos audit report — ${report.workspace}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.verdict { padding: 0.75rem 1rem; border-radius: 4px; font-weight: 600; }
.ok { background: #e6f4ea; border: 1px solid #34a853; } .bad { background: #fce8e6; border: 1px solid #d93025; }
.muted { color: #666; } code { font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">Generated ${escapeHtml(report.generatedAt)} · ledger head #${String(report.headSeq)} · ${String(report.totals.entries)} entries</p>
<h2>Verification</h2>
<p class="verdict ${v.valid ? 'ok' : 'bad'}">${escapeHtml(verdict)}</p>
${problems}
<h2>Activity per agent over time</h2>
${activityChartSvg(report.activity)}
<h2>Agents</h2>
${report.agents.length === 0 ? '<p class="muted">No agent activity.</p>' : table(['agent', 'entries', 'proposals', 'commits', 'rejections', 'first', 'last'], report.agents.map((a) => [a.agent, String(a.entries), String(a.proposals), String(a.commits), String(a.rejections), a.first, a.last]))}
<h2>Entries by kind</h2>
${table(['kind', 'entries'], Object.entries(report.totals.byKind).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => [`${entryKindStyle(k).label} (${k})`, String(n)]))}
<h2>Entries by actor</h2>
${table(['actor', 'entries'], Object.entries(report.totals.byActor).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => [k, String(n)]))}
<h2>Ledger</h2>
${table(['seq', 'time', 'kind', 'actor', 'summary', 'files', 'hash'], report.entries.map((e) => [`#${String(e.seq)}`, e.time, e.kind, e.actor, e.summary, e.paths.join(', '), e.hash]))}
</body>
</html>
`;
}
