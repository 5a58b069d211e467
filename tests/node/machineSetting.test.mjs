// Machine-scoped settings (extension/src/machineSetting.ts): a workspace or folder value never counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const { machineValue, hasIgnoredWorkspaceValue } = await importExtensionModule('machineSetting');

test('a sidecarPath set only in the workspace settings is ignored and the bundled sidecar is used', () => {
  const inspected = { defaultValue: '', workspaceValue: './evil-sidecar.sh' };
  assert.equal(machineValue(inspected, ''), '');
  assert.equal(hasIgnoredWorkspaceValue(inspected), true);
});

test('a folder value does not override the user value', () => {
  const inspected = { defaultValue: '', globalValue: '/opt/thymos/OpenThymos.Server', workspaceValue: 'x', workspaceFolderValue: './y' };
  assert.equal(machineValue(inspected, ''), '/opt/thymos/OpenThymos.Server');
});

test('the user value is used when no workspace value exists, and the default when nothing is set', () => {
  assert.equal(machineValue({ defaultValue: '', globalValue: 'Ada' }, ''), 'Ada');
  assert.equal(machineValue({ defaultValue: '' }, 'fallback'), '');
  assert.equal(machineValue(undefined, 'fallback'), 'fallback');
  assert.equal(hasIgnoredWorkspaceValue({ globalValue: 'Ada' }), false);
});

test('the manifest declares sidecarPath, keyDirectory and reviewerName machine-scoped', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
  const properties = manifest.contributes.configuration.properties ?? manifest.contributes.configuration[0].properties;
  for (const key of ['sidecarPath', 'keyDirectory', 'reviewerName']) {
    assert.equal(properties[`openthymos.${key}`].scope, 'machine', key);
  }
});
