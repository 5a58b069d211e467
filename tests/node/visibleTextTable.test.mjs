// Keeps the editor's neutralizer (extension/src/text/visibleText.ts) equal to the server's: every code point U+0000..U+10FFFF
// is classified through the module's exported functions and compared with tests/visible-text-table.txt, the table
// VisibleTextTableTests (tests/OpenThymos.Core.Tests/Text) generates from the server's VisibleText and checks the
// server against. Neither side's list is copied here; the questions asked are the same on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importExtensionModule } from './compile.mjs';

const visible = await importExtensionModule('text/visibleText');
const tableFile = join(import.meta.dirname, '..', 'visible-text-table.txt');

/** The table as an array of flags per code point ('-' for none). */
function readTable() {
  const flags = new Array(0x110000).fill(undefined);
  for (const raw of readFileSync(tableFile, 'utf8').split('\n')) {
    const line = raw.split('#', 1)[0].trim();
    if (line === '') {
      continue;
    }
    const match = /^([0-9A-F]+)\.\.([0-9A-F]+) (.+)$/.exec(line);
    assert.ok(match, `tests/visible-text-table.txt has a line that is not 'first..last flags': ${line}`);
    for (let codePoint = parseInt(match[1], 16); codePoint <= parseInt(match[2], 16); codePoint++) {
      flags[codePoint] = match[3].trim();
    }
  }
  return flags;
}

/** The editor's flags for one code point, asked exactly as VisibleTextTableTests asks the server (without `ignorable`). */
function editorFlags(codePoint) {
  const text = String.fromCodePoint(codePoint); // U+D800..U+DFFF give one lone UTF-16 unit, as on the server
  const flags = [];
  if (visible.renderVisible(text, 'singleLine').replaced.length > 0) {
    flags.push('line');
  }
  if (visible.renderVisible(text, 'multiLine').replaced.length > 0) {
    flags.push('block');
  }
  // After it, four acute accents: the last is a marker only if it counted as a stacked mark too.
  if (visible.renderVisible('a' + text + '\u0301\u0301\u0301\u0301', 'multiLine').replaced.includes('U+0301')) {
    flags.push('stacks');
  }
  if (!visible.renderVisible(text + '\u200D' + text, 'multiLine').replaced.includes('U+200D')) {
    flags.push('joins');
  }
  return flags;
}

/** Runs of consecutive code points with the same (expected, actual) pair, as readable lines. */
function differenceRuns(pairs, left, right) {
  const runs = [];
  for (const [codePoint, expected, actual] of pairs) {
    const last = runs.at(-1);
    if (last && last.to === codePoint - 1 && last.expected === expected && last.actual === actual) {
      last.to = codePoint;
    } else {
      runs.push({ from: codePoint, to: codePoint, expected, actual });
    }
  }
  return runs.map((r) => `  ${visible.codePointName(r.from)}..${visible.codePointName(r.to)}: ${left} '${r.expected}', ${right} '${r.actual}'`);
}

test('the editor neutralizes, marks, stacks and joins every code point as the server does', { timeout: 120000 }, () => {
  const table = readTable();
  const differences = [];
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    const expected = table[codePoint] ?? '(missing)';
    const serverFlags = expected.split(' ').filter((flag) => flag !== '-' && flag !== 'ignorable');
    const actual = editorFlags(codePoint);
    if (serverFlags.join(' ') !== actual.join(' ')) {
      differences.push([codePoint, serverFlags.join(' ') || '-', actual.join(' ') || '-']);
    }
  }
  assert.ok(
    differences.length === 0,
    `extension/src/text/visibleText.ts classifies these code points differently from the server's VisibleText (tests/visible-text-table.txt):\n` +
      `${differenceRuns(differences, 'server', 'editor').slice(0, 20).join('\n')}\n` +
      'Make the editor give the server\'s answers (for `stacks`, run node extension/scripts/combining-marks.mjs, which ' +
      'rewrites extension/src/text/combiningMarks.ts from the table); if the server changed deliberately, regenerate the table ' +
      'from it first (THYMOS_WRITE_VISIBLE_TEXT_TABLE=1 dotnet test tests/OpenThymos.Core.Tests --filter VisibleTextTableTests).',
  );
});

test('the code points path identity ignores are exactly Unicode\'s default-ignorable ones', () => {
  // Checks the server's PathIdentity.IsDefaultIgnorable (the table's `ignorable` flag) against this runtime's Unicode data.
  const table = readTable();
  const defaultIgnorable = /^\p{Default_Ignorable_Code_Point}$/u;
  const differences = [];
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    const server = (table[codePoint] ?? '').split(' ').includes('ignorable');
    const unicode = codePoint >= 0xd800 && codePoint <= 0xdfff ? false : defaultIgnorable.test(String.fromCodePoint(codePoint));
    if (server !== unicode) {
      differences.push([codePoint, server ? 'ignorable' : '-', unicode ? 'ignorable' : '-']);
    }
  }
  assert.ok(
    differences.length === 0,
    `PathIdentity.IsDefaultIgnorable disagrees with Unicode ${process.versions.unicode}'s Default_Ignorable_Code_Point ` +
      `(table, then Unicode):\n${differenceRuns(differences, 'server', 'Unicode').slice(0, 20).join('\n')}`,
  );
});
