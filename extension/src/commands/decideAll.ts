import { confirmHiddenCharacters, decide } from '../review/decisions';
import { requireTrust } from '../errors';
import type { Services } from './services';
import { showInformation, showWarning } from '../text/visibleUi';
import { markedHunks } from '../text/reviewText';

/** Wording of the bulk decisions: what the confirmation says and what its button is called. */
const bulk = {
  approve: { verb: 'Approve', button: 'Approve All', consequence: 'They will be written to the workspace.', progress: 'Approving' },
  reject: { verb: 'Reject', button: 'Reject All', consequence: 'The agents will be told.', progress: 'Rejecting' },
} as const;

/** Approves or rejects every pending hunk of every pending proposal, after a modal confirmation. */
export async function decideAll(services: Services, verb: 'approve' | 'reject'): Promise<void> {
  if (!requireTrust()) {
    return;
  }
  const proposals = services.store.proposals();
  if (proposals.length === 0) {
    void showInformation('OpenThymos: nothing is pending.');
    return;
  }
  const wording = bulk[verb];
  const hunks = services.store.allHunks().length;
  const confirm = await showWarning(
    `${wording.verb} all ${String(hunks)} pending hunk(s) of ${String(proposals.length)} proposal(s)? ${wording.consequence}`,
    { modal: true },
    wording.button,
  );
  if (confirm !== wording.button) {
    return;
  }
  const hiddenCharactersConfirmed = verb === 'approve' && await confirmHiddenCharacters(proposals.flatMap(({ detail }) => markedHunks(detail.files)));
  if (verb === 'approve' && !hiddenCharactersConfirmed) {
    return;
  }
  for (const { folderKey, detail } of proposals) {
    await decide(services, verb, { folderKey, proposalId: detail.proposal.proposalId, revision: detail.proposal.revision }, `${wording.progress} proposal ${detail.proposal.proposalId}`, { hiddenCharactersConfirmed });
  }
}
