// Verify Ledger, Replay Ledger and Show Drift: ledger work with a cancellable progress notification, then a
// message (verify) or a read-only report document (replay, drift).
import { runLedgerWork, throwIfCancelled } from '../ledger/ledgerProgress';
import { driftReportMarkdown, replayReportMarkdown, verifySummary } from '../ledger/ledgerReports';
import { LedgerGetDriftRequest, LedgerReplayRequest, LedgerVerifyRequest } from '../protocol';
import { pickSidecar, showLedgerWorkError } from './helpers';
import type { Services } from './services';
import { showInformation } from '../text/visibleUi';

/** openthymos.verifyLedger: ledger/verify with progress; a failure offers the report. */
export async function verifyLedger(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const result = await runLedgerWork(sidecar, `Verifying the OpenThymos ledger of ${sidecar.folder.name}`, ({ progressToken, cancel, phase }) => {
      phase('Verifying');
      return sidecar.client.sendRequest(LedgerVerifyRequest, { progressToken }, cancel);
    });
    services.health.record(sidecar, result, false);
    if (result.valid) {
      void showInformation(`OpenThymos: the ledger of ${sidecar.folder.name} is intact. ${verifySummary(result)}.`);
    } else {
      await services.health.notifyProblems(sidecar, result);
    }
  } catch (error) {
    await showLedgerWorkError('Verifying the ledger', error);
  }
}

/** openthymos.replayLedger: verify, rebuild the world by replay, compare it with the disk; then the report. */
export async function replayLedger(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const generatedAt = new Date();
    const report = await runLedgerWork(sidecar, `Replaying the OpenThymos ledger of ${sidecar.folder.name}`, async ({ progressToken, cancel, phase }) => {
      phase('1/3 Verifying');
      const verify = await sidecar.client.sendRequest(LedgerVerifyRequest, { progressToken }, cancel);
      services.health.record(sidecar, verify, false);
      throwIfCancelled(cancel);
      phase('2/3 Replaying');
      const replay = await sidecar.client.sendRequest(LedgerReplayRequest, { progressToken, toSeq: null }, cancel);
      throwIfCancelled(cancel);
      phase('3/3 Comparing with the disk');
      const drift = await sidecar.client.sendRequest(LedgerGetDriftRequest, { progressToken }, cancel);
      return replayReportMarkdown({ folderName: sidecar.folder.name, generatedAt, verify, replay, drift });
    });
    await services.documents.showReport(`Ledger replay report - ${sidecar.folder.name}.md`, report);
  } catch (error) {
    await showLedgerWorkError('Replaying the ledger', error);
  }
}

/** openthymos.showDrift: files that differ from what the ledger says, as a report. */
export async function showDrift(services: Services): Promise<void> {
  const sidecar = await pickSidecar(services);
  if (sidecar === undefined) {
    return;
  }
  try {
    const drift = await runLedgerWork(sidecar, `Checking ${sidecar.folder.name} for drift`, ({ progressToken, cancel, phase }) => {
      phase('Comparing the ledger with the disk');
      return sidecar.client.sendRequest(LedgerGetDriftRequest, { progressToken }, cancel);
    });
    await services.documents.showReport(`Drift report - ${sidecar.folder.name}.md`, driftReportMarkdown(sidecar.folder.name, drift, new Date()));
  } catch (error) {
    await showLedgerWorkError('Checking for drift', error);
  }
}
