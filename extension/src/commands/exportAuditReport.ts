// Export Audit Report: every ledger entry plus a fresh verification, written as JSON and as a readable,
// self-contained HTML page (auditReport.ts builds both) next to each other where the user chooses.
import * as vscode from 'vscode';
import { auditReportHtml, auditReportJson, buildAuditReport } from '../ledger/auditReport';
import { readAllEntries } from '../ledger/ledgerEntries';
import { runLedgerWork } from '../ledger/ledgerProgress';
import { LedgerVerifyRequest } from '../protocol';
import { pickSidecar, showLedgerWorkError } from './helpers';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** openthymos.exportAuditReport. */
export async function exportAuditReport(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services, 'Export the audit report of which folder?');
  if (sidecar === undefined) {
    return;
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/gu, '-');
  const target = await vscode.window.showSaveDialog({
    title: 'Export the OpenThymos audit report (an .html report is written beside the .json)',
    defaultUri: vscode.Uri.joinPath(sidecar.folder.uri, `openthymos-audit-${stamp}.json`),
    filters: { 'JSON audit report': ['json'] },
    saveLabel: 'Export',
  });
  if (target === undefined) {
    return;
  }
  const jsonUri = target.path.endsWith('.json') ? target : target.with({ path: `${target.path}.json` });
  const htmlUri = jsonUri.with({ path: jsonUri.path.replace(/\.json$/u, '.html') });
  try {
    const report = await runLedgerWork(sidecar, `Exporting the audit report of ${sidecar.folder.name}`, async ({ progressToken, cancel, phase }) => {
      phase('Reading the ledger');
      const { entries, headSeq } = await readAllEntries(sidecar, [], cancel);
      phase('Verifying');
      const verify = await sidecar.client.sendRequest(LedgerVerifyRequest, { progressToken }, cancel);
      services.health.record(sidecar, verify);
      return buildAuditReport({ workspace: sidecar.folder.name, generatedAt: new Date(), headSeq, entries, verify });
    });
    await vscode.workspace.fs.writeFile(jsonUri, Buffer.from(auditReportJson(report), 'utf8'));
    await vscode.workspace.fs.writeFile(htmlUri, Buffer.from(auditReportHtml(report), 'utf8'));
    const verdict = report.verification.valid ? 'verified, 0 problems' : `${String(report.verification.problems.length)} verification problem(s)`;
    const choice = await showInformation(
      `OpenThymos: exported ${String(report.totals.entries)} entries (${verdict}) to ${jsonUri.fsPath} and ${htmlUri.fsPath}.`,
      'Open HTML Report',
      'Open JSON',
    );
    if (choice === 'Open HTML Report') {
      await vscode.env.openExternal(htmlUri);
    } else if (choice === 'Open JSON') {
      await vscode.window.showTextDocument(jsonUri);
    }
  } catch (error) {
    await showLedgerWorkError('Exporting the audit report', error);
  }
}
