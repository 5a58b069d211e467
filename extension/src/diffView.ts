// Read-only virtual documents with a proposal's proposed text, shown with vscode.diff.
import * as vscode from 'vscode';
import { ProposalScheme } from './constants';
import type { ProposalStore } from './proposalStore';
import type { FileRef } from './targets';

/** Serves `openthymos-proposal:` documents. */
export class ProposalContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private readonly open = new Set<string>();

  constructor(private readonly store: ProposalStore) {
    this.subscription = store.onDidChange(() => {
      for (const uri of this.open) {
        this.emitter.fire(vscode.Uri.parse(uri));
      }
    });
  }

  /** The URI of a proposal file's proposed text. */
  static uriFor(ref: FileRef, side: 'proposed' | 'base' = 'proposed'): vscode.Uri {
    const query = new URLSearchParams({ folder: ref.folderKey, proposal: ref.proposalId, side }).toString();
    return vscode.Uri.from({ scheme: ProposalScheme, path: `/${ref.path}`, query });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.open.add(uri.toString());
    const query = new URLSearchParams(uri.query);
    const detail = this.store.get(query.get('folder') ?? '', query.get('proposal') ?? '');
    const path = uri.path.replace(/^\//u, '');
    const file = detail?.files.find((f) => f.path === path);
    if (file === undefined) {
      return `// This proposal is no longer pending (it was decided or withdrawn).\n`;
    }
    if (file.binary) {
      return '// Binary file: no text to show.\n';
    }
    return (query.get('side') === 'base' ? file.baseText : file.proposedText) ?? '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
