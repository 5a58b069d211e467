// Which folders start a sidecar (extension/src/sidecar/optIn.ts), against real folders on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importExtensionModule } from './compile.mjs';

const { hasOptedIn, optInMarker, startsOnOpen } = await importExtensionModule('sidecar/optIn');

function folder(t, setup) {
  const dir = mkdtempSync(join(tmpdir(), 'ot-optin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  setup?.(dir);
  return dir;
}

test('a folder without .thymos/ does not start a sidecar unless autoStart is on', (t) => {
  const dir = folder(t);
  assert.equal(hasOptedIn(dir), false);
  assert.equal(startsOnOpen(dir, false), false);
  assert.equal(startsOnOpen(dir, true), true);
});

test('a folder with a .thymos/ directory (made by a sidecar or an agent) starts one', (t) => {
  const dir = folder(t, (d) => mkdirSync(join(d, '.thymos')));
  assert.equal(optInMarker(dir), join(dir, '.thymos'));
  assert.equal(hasOptedIn(dir), true);
  assert.equal(startsOnOpen(dir, false), true);
});

test('a plain file named .thymos is not an opt-in', (t) => {
  const dir = folder(t, (d) => writeFileSync(join(d, '.thymos'), 'not a folder'));
  assert.equal(hasOptedIn(dir), false);
  assert.equal(startsOnOpen(dir, false), false);
});
