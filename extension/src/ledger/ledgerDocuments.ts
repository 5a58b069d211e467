// Read-only virtual documents rebuilt from the ledger (scheme `openthymos-ledger:`): a file as it was at an
// entry (ledger/getFileAtSeq), a stored file version by hash (ledger/getBlob, the sides of a commit's diff), an
// entry's details (ledger/getEntry) and the ledger reports. The extension never
// opens the ledger file itself; everything here comes from the sidecar. A file at a seq never changes, so its
// text is cached.
import * as vscode from 'vscode';
import { LedgerScheme } from '../constants';
import { LedgerGetBlobRequest, LedgerGetEntryRequest, LedgerGetFileAtSeqRequest } from '../protocol';
import type { SidecarManager } from '../sidecar/sidecarManager';
import { visibleJson } from '../text/visibleText';

type LedgerView = 'file' | 'blob' | 'entry' | 'report';

/** Serves `openthymos-ledger:` documents. */
export class LedgerDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly cache = new Map<string, string>();
  private readonly reports = new Map<string, string>();
  private reportCounter = 0;

  constructor(private readonly sidecars: SidecarManager) {}

  /** The document of a file as the ledger's commits left it at `seq` (inclusive). */
  static fileAtSeqUri(folderKey: string, path: string, seq: number): vscode.Uri {
    return vscode.Uri.from({ scheme: LedgerScheme, path: `/at-${String(seq)}/${path}`, query: new URLSearchParams({ view: 'file', folder: folderKey, seq: String(seq), file: path }).toString() });
  }

  /**
   * One side of an entry's diff: the file version with this content hash, or an empty document when the hash is
   * null (the file did not exist on that side). `side` and `seq` only make the name readable and unique; a `tag`
   * makes a separate document, so a diff opened elsewhere (the timeline) is not reused with its old title.
   */
  static blobUri(folderKey: string, path: string, seq: number, side: 'before' | 'after', hash: string | null, tag = ''): vscode.Uri {
    const query = new URLSearchParams({ view: 'blob', folder: folderKey, seq: String(seq), file: path, hash: hash ?? '' });
    if (tag !== '') {
      query.set('tag', tag);
    }
    return vscode.Uri.from({ scheme: LedgerScheme, path: `/at-${String(seq)}/${side}/${path}`, query: query.toString() });
  }

  /** The JSON document of an entry (`ledger/getEntry`). */
  static entryUri(folderKey: string, seq: number): vscode.Uri {
    return vscode.Uri.from({ scheme: LedgerScheme, path: `/entries/entry-${String(seq)}.json`, query: new URLSearchParams({ view: 'entry', folder: folderKey, seq: String(seq) }).toString() });
  }

  /** Stores a report's text and returns its document URI (named `name`, e.g. "Replay report.md"). */
  putReport(name: string, text: string): vscode.Uri {
    this.reportCounter++;
    const uri = vscode.Uri.from({ scheme: LedgerScheme, path: `/reports/${String(this.reportCounter)}/${name}`, query: new URLSearchParams({ view: 'report' }).toString() });
    this.reports.set(uri.toString(), text);
    return uri;
  }

  /** Stores a report and shows it read-only in an editor. */
  async showReport(name: string, text: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(this.putReport(name, text));
    return vscode.window.showTextDocument(document, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const view = query.get('view') as LedgerView | null;
    if (view === 'report') {
      return this.reports.get(uri.toString()) ?? 'This report is no longer available (it was made in an earlier window). Run the command again.\n';
    }
    const key = uri.toString();
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const folderKey = query.get('folder') ?? '';
    const seq = Number(query.get('seq'));
    const sidecar = this.sidecars.forFolderKey(folderKey);
    if (sidecar?.state !== 'running') {
      return `The OpenThymos sidecar for this folder is not running, so entry #${String(seq)} cannot be read. Run "OpenThymos: Refresh", then open this again.\n`;
    }
    try {
      let text: string;
      const hash = query.get('hash') ?? '';
      if (view === 'blob' && hash === '') {
        text = '';
      } else if (view === 'blob') {
        const blob = await sidecar.client.sendRequest(LedgerGetBlobRequest, { hash }, token);
        text = !blob.exists
          ? `The ledger stores no blob ${hash.slice(0, 12)} for ${query.get('file') ?? ''}; run "OpenThymos: Verify Ledger".\n`
          : blob.text ?? `(binary file, ${String(blob.size)} bytes, hash ${hash}: no text to show)\n`;
      } else if (view === 'entry') {
        const entry = await sidecar.client.sendRequest(LedgerGetEntryRequest, { seq }, token);
        text = visibleJson(JSON.stringify(entry, null, 2)) + '\n';
      } else {
        const path = query.get('file') ?? '';
        const file = await sidecar.client.sendRequest(LedgerGetFileAtSeqRequest, { path, seq }, token);
        text = !file.exists ? '' : file.text ?? `(binary file, ${String(Math.floor(((file.base64 ?? '').length * 3) / 4))} bytes, hash ${file.hash ?? '?'}: no text to show)\n`;
      }
      this.cache.set(key, text);
      return text;
    } catch (error) {
      return `Reading ${view === 'entry' ? `entry #${String(seq)}` : `${query.get('file') ?? ''} at entry #${String(seq)}`} from the ledger failed: ${error instanceof Error ? error.message : String(error)}\nCheck the "OpenThymos Sidecar" output, then open this again.\n`;
    }
  }

  dispose(): void {
    this.emitter.dispose();
    this.cache.clear();
    this.reports.clear();
  }
}
