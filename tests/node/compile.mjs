// Compiles a pure extension module (no vscode import) with esbuild into a fresh folder under out/ and imports it.
// Packages stay external (resolved from the repository's node_modules), so protocol message types are the
// same vscode-jsonrpc classes the tests' connections use.
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repository = resolve(import.meta.dirname, '..', '..');

/** Bundles extension/src/<name>.ts (`name` may name a feature folder: 'review/model') to ESM and imports it. */
export async function importExtensionModule(name) {
  const parent = join(repository, 'out', 'node-tests');
  mkdirSync(parent, { recursive: true });
  const outfile = join(mkdtempSync(join(parent, 'build-')), `${basename(name)}.mjs`);
  buildSync({
    entryPoints: [join(repository, 'extension', 'src', `${name}.ts`)],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}
