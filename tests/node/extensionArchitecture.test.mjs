// The extension's architecture invariants (ARCHITECTURE.md, Code map, extension/src) as assertions over its sources:
// it never opens the ledger (only the sidecar folder touches the file system directly, for the sidecar binary and the
// `.thymos/` opt-in marker), config.ts is the only reader of settings, commands share code through commands/helpers.ts,
// and the top of extension/src holds only what every feature folder uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const repository = resolve(import.meta.dirname, '..', '..');
const sourceRoot = join(repository, 'extension', 'src');

/** Every TypeScript source of the extension, as its path under extension/src with forward slashes, and its text. */
function sources() {
  return readdirSync(sourceRoot, { recursive: true })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ path: relative(sourceRoot, join(sourceRoot, name)).split(sep).join('/'), text: readFileSync(join(sourceRoot, name), 'utf8') }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The module specifiers a source imports (static imports, re-exports, dynamic imports and require calls). */
function importsOf(text) {
  const specifiers = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s+|\bimport\(\s*|\brequire\(\s*)'([^']+)'/gu)) {
    specifiers.push(match[1]);
  }
  return specifiers;
}

test('only the sidecar folder touches the file system directly, and no module names the ledger file', { timeout: 30_000 }, () => {
  const all = sources();
  const fileSystemUsers = all.filter((s) => importsOf(s.text).some((m) => /^(node:)?fs(\/promises)?$/u.test(m))).map((s) => s.path);
  assert.deepEqual(fileSystemUsers, ['sidecar/optIn.ts', 'sidecar/sidecar.ts'],
    'the extension never opens the ledger and never writes a workspace file: it reads the ledger through the sidecar '
    + '(ledger/* requests) and sends decisions for the sidecar to apply. Only sidecar/sidecar.ts (finding the sidecar binary) '
    + 'and sidecar/optIn.ts (the .thymos/ marker) may import node:fs.');
  const naming = all.filter((s) => /ledger\.db|litedb/iu.test(s.text)).map((s) => s.path);
  assert.deepEqual(naming, [], 'no extension module may name the ledger file (ledger.db) or its database library');
});

test('config.ts is the only module that reads settings', { timeout: 30_000 }, () => {
  const readers = sources().filter((s) => /\bgetConfiguration\s*\(/u.test(s.text)).map((s) => s.path);
  assert.deepEqual(readers, ['config.ts'], 'read openthymos.* settings through config.ts, the only module that calls getConfiguration');
});

test('command files take shared code from commands/helpers.ts, never from another command', { timeout: 30_000 }, () => {
  const commands = sources().filter((s) => s.path.startsWith('commands/') && s.path !== 'commands/index.ts');
  assert.ok(commands.length > 10, `expected the command files under extension/src/commands, found ${String(commands.length)}`);
  for (const command of commands) {
    const siblings = importsOf(command.text).filter((m) => m.startsWith('./') && m !== './helpers' && m !== './services');
    assert.deepEqual(siblings, [], `${command.path} imports from another command file; move what commands share into commands/helpers.ts`);
  }
});

test('the top of extension/src holds only what every feature folder uses; features live in their folders', { timeout: 30_000 }, () => {
  const topLevel = sources().filter((s) => !s.path.includes('/')).map((s) => s.path);
  assert.deepEqual(topLevel, ['config.ts', 'constants.ts', 'entryKinds.ts', 'errors.ts', 'extension.ts', 'machineSetting.ts', 'protocol.ts', 'thymosContext.ts'],
    'put a new module in its feature folder (sidecar/, review/, ledger/, timeline/, writs/, policy/, text/, commands/; ARCHITECTURE.md lists them), '
    + 'or, if every feature uses it, add it here and to ARCHITECTURE.md');
});
