// Compiles a pure extension module (no vscode import) with esbuild into a temp file and imports it.
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repository = resolve(import.meta.dirname, '..', '..');

/** Bundles extension/src/<name>.ts to ESM in a temp folder and imports it. */
export async function importExtensionModule(name) {
  const outfile = join(mkdtempSync(join(tmpdir(), 'thymos-ext-')), `${name}.mjs`);
  buildSync({
    entryPoints: [join(repository, 'extension', 'src', `${name}.ts`)],
    bundle: true,
    external: ['vscode'],
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}
