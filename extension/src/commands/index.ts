// Registers one function per command id in constants.ts.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { approveAll } from './approveAll';
import { approveFile } from './approveFile';
import { approveHunk } from './approveHunk';
import { enableInFolder } from './enableInFolder';
import { grantAgentAccess, revokeAgentAccess } from './agentAccess';
import { refresh, showSidecarLog } from './general';
import { replayLedger, showDrift, verifyLedger } from './ledgerWork';
import { nextHunk, previousHunk } from './navigateHunks';
import { rejectAll } from './rejectAll';
import { rejectFile } from './rejectFile';
import { rejectHunk } from './rejectHunk';
import type { Services } from './services';
import { editProposal, showDiff } from './showDiff';
import { exportAuditReport } from './exportAuditReport';
import { replayToEntry, replayToHere } from './replayToEntry';
import { revertCommit } from './revertCommit';
import { reviewPolicy } from './reviewPolicy';
import { replayStepNext, replayStepPrevious, replayStepStop, stepThroughReplay } from './stepThroughReplay';
import { clearTimelineFilter, copyEntryHash, filterTimeline, loadMoreEntries, openEntryDiffCommand, showEntryDetails } from './timelineActions';

type CommandId = (typeof Commands)[keyof typeof Commands];
type Handler = (services: Services, arg?: unknown) => unknown;

/** The function behind each command. */
export const handlers: Record<CommandId, Handler> = {
  [Commands.ApproveHunk]: approveHunk,
  [Commands.RejectHunk]: rejectHunk,
  [Commands.ApproveFile]: approveFile,
  [Commands.RejectFile]: rejectFile,
  [Commands.ApproveAll]: approveAll,
  [Commands.RejectAll]: rejectAll,
  [Commands.NextHunk]: nextHunk,
  [Commands.PreviousHunk]: previousHunk,
  [Commands.ShowDiff]: showDiff,
  [Commands.EditProposal]: editProposal,
  [Commands.VerifyLedger]: verifyLedger,
  [Commands.ReplayLedger]: replayLedger,
  [Commands.ShowDrift]: showDrift,
  [Commands.GrantAgentAccess]: grantAgentAccess,
  [Commands.RevokeAgentAccess]: revokeAgentAccess,
  [Commands.ShowSidecarLog]: showSidecarLog,
  [Commands.Refresh]: refresh,
  [Commands.EnableInFolder]: enableInFolder,
  [Commands.ReplayToEntry]: replayToEntry,
  [Commands.ReplayToHere]: replayToHere,
  [Commands.StepThroughReplay]: stepThroughReplay,
  [Commands.ReplayStepNext]: replayStepNext,
  [Commands.ReplayStepPrevious]: replayStepPrevious,
  [Commands.ReplayStepStop]: replayStepStop,
  [Commands.RevertCommit]: revertCommit,
  [Commands.ExportAuditReport]: exportAuditReport,
  [Commands.FilterTimeline]: filterTimeline,
  [Commands.ClearTimelineFilter]: clearTimelineFilter,
  [Commands.LoadMoreEntries]: loadMoreEntries,
  [Commands.OpenEntryDiff]: openEntryDiffCommand,
  [Commands.CopyEntryHash]: copyEntryHash,
  [Commands.ShowEntryDetails]: showEntryDetails,
  [Commands.ReviewPolicy]: reviewPolicy,
};

/** Registers every command. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, (arg?: unknown) => handler(services, arg)));
}
