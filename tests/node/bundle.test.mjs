// The extension bundles (esbuild, the same options as `npm run compile`) and its bundle loads against a
// stand-in `vscode` module, exporting activate and deactivate (catches load-time faults before a real editor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Module, { createRequire } from 'node:module';

const repository = resolve(import.meta.dirname, '..', '..');

test('the bundle builds with vscode external and loads, exporting activate and deactivate', () => {
  const parent = join(repository, 'out', 'node-tests');
  mkdirSync(parent, { recursive: true });
  const outfile = join(mkdtempSync(join(parent, 'bundle-')), 'extension.js');
  const result = buildSync({
    entryPoints: [join(repository, 'extension', 'src', 'extension.ts')],
    bundle: true, external: ['vscode'], platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error', metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((i) => i.includes('vscode-languageclient')), 'vscode-languageclient is bundled (the vsix has no node_modules)');

  // Any property of the stand-in is another stand-in; calling or constructing one returns one.
  const stand = () => new Proxy(function () {}, {
    get: (target, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : (target[key] ??= stand())),
    apply: () => stand(),
    construct: () => stand(),
  });
  const originalLoad = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? stand() : originalLoad.call(this, request, ...rest);
  };
  try {
    const loaded = createRequire(outfile)(outfile);
    assert.equal(typeof loaded.activate, 'function');
    assert.equal(typeof loaded.deactivate, 'function');
  } finally {
    Module._load = originalLoad;
  }
});
