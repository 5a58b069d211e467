// Which folders OpenThymos runs in. A folder opts in by having `.thymos/` (made by an earlier sidecar, or by an
// agent through `thymos`/`thymos mcp`), by the user running "OpenThymos: Enable in This Folder" (the sidecar
// then creates it), or by the `openthymos.autoStart` setting. Pure: no vscode import, so the Node tests cover it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder every OpenThymos workspace keeps its ledger in; its presence is the opt-in marker. */
export const ThymosFolderName = '.thymos';

/** The opt-in marker of a workspace folder. */
export function optInMarker(folderPath: string): string {
  return path.join(folderPath, ThymosFolderName);
}

/** True when the folder has opted in (its marker is a directory). */
export function hasOptedIn(folderPath: string): boolean {
  try {
    return fs.statSync(optInMarker(folderPath)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a sidecar starts in a folder when the folder opens: opted in, or every folder by setting. */
export function startsOnOpen(folderPath: string, autoStart: boolean): boolean {
  return autoStart || hasOptedIn(folderPath);
}
