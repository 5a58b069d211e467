// The file changes a commit or revert payload records (no vscode import): `files[]` with `path`, `before` and
// `after` content hashes (null = absent), as docs/ledger-format.md defines them. Unit-tested by
// tests/node/ledgerModel.test.mjs.

/** One file a commit or revert changed. */
export interface FileChange {
  /** The workspace-relative path. */
  path: string;
  /** The content hash before the change, or null when the file did not exist. */
  before: string | null;
  /** The content hash after the change, or null when the change deleted it. */
  after: string | null;
}

const isHash = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** The `files[]` of a commit or revert payload; undefined when the payload has no such list. */
export function fileChangesOf(payload: unknown): FileChange[] | undefined {
  if (typeof payload !== 'object' || payload === null) {
    return undefined;
  }
  const files = (payload as { files?: unknown }).files;
  if (!Array.isArray(files)) {
    return undefined;
  }
  const changes: FileChange[] = [];
  for (const file of files as unknown[]) {
    if (typeof file !== 'object' || file === null) {
      continue;
    }
    const { path, before, after } = file as { path?: unknown; before?: unknown; after?: unknown };
    if (typeof path === 'string' && isHash(before ?? null) && isHash(after ?? null)) {
      changes.push({ path, before: (before as string | null | undefined) ?? null, after: (after as string | null | undefined) ?? null });
    }
  }
  return changes;
}
