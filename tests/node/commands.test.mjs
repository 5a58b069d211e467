// The manifest (package.json) and the extension agree: contributed commands equal the ids in
// extension/src/constants.ts, which commands/index.ts registers (its handler table is typed
// Record<CommandId, Handler>, so tsc fails if one is missing); menus, keybindings and views use known ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importExtensionModule } from './compile.mjs';

const repository = resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8'));
const constants = await importExtensionModule('constants');
const ids = Object.values(constants.Commands).sort();

test('the contributed commands are exactly the command ids in constants.ts, each with the OpenThymos category', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, ids);
  assert.equal(ids.length, 30);
  for (const command of manifest.contributes.commands) {
    assert.equal(command.category, 'OpenThymos', command.command);
    assert.ok(command.title.length > 0);
  }
});

test('commands/index.ts registers a handler for every id in constants.ts', () => {
  const source = readFileSync(join(repository, 'extension', 'src', 'commands', 'index.ts'), 'utf8');
  for (const [key] of Object.entries(constants.Commands)) {
    assert.match(source, new RegExp(`\\[Commands\\.${key}\\]:`), key);
  }
});

test('menus and keybindings name only contributed commands', () => {
  const used = [
    ...Object.values(manifest.contributes.menus).flat().map((m) => m.command),
    ...manifest.contributes.keybindings.map((k) => k.command),
  ];
  for (const command of used) {
    assert.ok(ids.includes(command), command);
  }
});

test('the container and views carry the ids in constants.ts', () => {
  assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), [constants.Views.Container]);
  assert.deepEqual(manifest.contributes.views[constants.Views.Container].map((v) => v.id),
    [constants.Views.Pending, constants.Views.Timeline, constants.Views.Agents]);
});

test('the manifest identifies the extension and its entry point', () => {
  assert.equal(manifest.publisher, 'openthymos');
  assert.equal(manifest.name, 'openthymos');
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.activationEvents, ['onStartupFinished', 'workspaceContains:.thymos']);
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(),
    ['openthymos.keyDirectory', 'openthymos.logLevel', 'openthymos.reviewerName', 'openthymos.sidecarPath']);
});
