// The audit report (extension/src/ledger/auditReport.ts): entries in, JSON and self-contained HTML out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const audit = await importExtensionModule('ledger/auditReport');

const at = (minutes) => new Date(Date.UTC(2026, 0, 1, 10, minutes)).toISOString();
const entry = (seq, kind, actor, minutes, extra = {}) => ({ seq, kind, actor, time: at(minutes), hash: `hash${seq}`, summary: `${kind} #${seq}`, proposalId: null, paths: [], ...extra });
const ledger = [
  entry(1, 'genesis', 'runtime', 0),
  entry(2, 'writ.issued', 'human:ana', 1),
  entry(3, 'proposal.staged', 'agent:claude', 2, { proposalId: 'p1', paths: ['app.txt'] }),
  entry(4, 'proposal.approved', 'human:ana', 10, { proposalId: 'p1', paths: ['app.txt'] }),
  entry(5, 'commit', 'human:ana', 10, { proposalId: 'p1', paths: ['app.txt'] }),
  entry(6, 'proposal.staged', 'agent:aider', 30, { proposalId: 'p2', paths: ['b.txt'] }),
  entry(7, 'proposal.rejected', 'human:ana', 40, { proposalId: 'p2', paths: ['b.txt'] }),
  entry(8, 'proposal.staged', 'agent:claude', 60, { proposalId: 'p3', paths: ['<script>.txt'] }),
];
const verified = { valid: true, entriesChecked: 8, blobsChecked: 5, anchorChecked: true, problems: [] };
const input = { workspace: 'demo & co', generatedAt: new Date('2026-01-02T00:00:00Z'), headSeq: 8, entries: [...ledger].reverse(), verify: verified };

test('decisions and commits are attributed to the agent whose proposal they concern', () => {
  const attribution = audit.attributeEntries(ledger);
  assert.deepEqual([...attribution.entries()].sort((a, b) => a[0] - b[0]), [[3, 'claude'], [4, 'claude'], [5, 'claude'], [6, 'aider'], [7, 'aider'], [8, 'claude']]);
});

test('the report counts per agent, kind and actor, and lists entries oldest first', () => {
  const report = audit.buildAuditReport(input);
  assert.equal(report.format, 'openthymos-audit-report');
  assert.equal(report.totals.entries, 8);
  assert.deepEqual(report.entries.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(report.totals.byKind['proposal.staged'], 3);
  assert.equal(report.totals.byActor['human:ana'], 4);
  assert.deepEqual(report.agents.map((a) => [a.agent, a.entries, a.proposals, a.commits, a.rejections]), [['aider', 2, 1, 0, 1], ['claude', 4, 2, 1, 0]]);
  assert.deepEqual(JSON.parse(audit.auditReportJson(report)), report);
});

test('activity over time uses equal buckets spanning the first to the last agent entry', () => {
  const { activity } = audit.buildAuditReport(input);
  assert.equal(activity.bucketStarts.length, audit.maxBuckets);
  assert.equal(activity.bucketStarts[0], at(2));
  const total = (agent) => activity.series[agent].reduce((a, b) => a + b, 0);
  assert.equal(total('claude'), 4);
  assert.equal(total('aider'), 2);
  assert.equal(activity.series.claude[0], 1);
  assert.equal(activity.series.claude[audit.maxBuckets - 1], 1);
  const single = audit.activityOverTime([entry(3, 'proposal.staged', 'agent:x', 5)], new Map([[3, 'x']]));
  assert.deepEqual(single.series, { x: [1] });
  assert.deepEqual(audit.activityOverTime([], new Map()), { bucketStarts: [], bucketMs: 0, series: {} });
});

test('the HTML report is self-contained, escapes ledger text, and charts each agent', () => {
  const html = audit.auditReportHtml(audit.buildAuditReport(input));
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script|<link |src=|href=/i);
  assert.match(html, /<title>OpenThymos audit report — demo &amp; co<\/title>/);
  assert.match(html, /&lt;script&gt;\.txt/);
  assert.match(html, /Verified: 0 problems \(8 entries, 5 blobs checked, head anchor compared\)/);
  assert.equal((html.match(/<svg /g) ?? []).length, 1);
  assert.equal((html.match(/<polyline class="series"/g) ?? []).length, 2);
  assert.match(html, /data-agent="aider"/);
  assert.match(html, /data-agent="claude"/);
});

test('a failed verification is shown with every problem', () => {
  const broken = { ...verified, valid: false, problems: [{ seq: 4, code: 'parent-mismatch', message: 'parent <> previous hash' }] };
  const html = audit.auditReportHtml(audit.buildAuditReport({ ...input, verify: broken }));
  assert.match(html, /class="verdict bad">NOT verified: 1 problem\(s\)/);
  assert.match(html, /<td>#4<\/td><td>parent-mismatch<\/td><td>parent &lt;&gt; previous hash<\/td>/);
});

test('with no agent activity the chart says so', () => {
  assert.match(audit.activityChartSvg({ bucketStarts: [], bucketMs: 0, series: {} }), /No agent activity/);
});
