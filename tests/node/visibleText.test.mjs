// The editor's neutralizer for agent text (extension/src/text/visibleText.ts), over the same table as the server's
// VisibleTextTests: each kind of hostile code point becomes a <U+XXXX> marker, normal text passes unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importExtensionModule } from './compile.mjs';

const visible = await importExtensionModule('text/visibleText');

const hostile = [
  ['\u001b[1A\u001b[2Kecho', '<U+001B>[1A<U+001B>[2Kecho', 'U+001B'],
  ['\u001b]0;title\u0007', '<U+001B>]0;title<U+0007>', 'U+0007 U+001B'],
  ['a\u0000b\u0008c', 'a<U+0000>b<U+0008>c', 'U+0000 U+0008'],
  ['a\u007fb', 'a<U+007F>b', 'U+007F'],
  ['a\u009b31mb\u0085c', 'a<U+009B>31mb<U+0085>c', 'U+0085 U+009B'],
  ['rm -rf /\rls', 'rm -rf /<U+000D>ls', 'U+000D'],
  ['a\u202Eb\u202Ac', 'a<U+202E>b<U+202A>c', 'U+202A U+202E'],
  ['\u2066x\u2067y\u2068z\u2069', '<U+2066>x<U+2067>y<U+2068>z<U+2069>', 'U+2066 U+2067 U+2068 U+2069'],
  ['a\u200Eb\u200Fc\u061Cd', 'a<U+200E>b<U+200F>c<U+061C>d', 'U+061C U+200E U+200F'],
  ['pass\u200Bword\u200Cx\uFEFF', 'pass<U+200B>word<U+200C>x<U+FEFF>', 'U+200B U+200C U+FEFF'],
  ['soft\u00ADhy\u2060phen\u2061\u2062\u2063\u2064', 'soft<U+00AD>hy<U+2060>phen<U+2061><U+2062><U+2063><U+2064>', 'U+00AD U+2060 U+2061 U+2062 U+2063 U+2064'],
  ['tag\u{E0001}\u{E0041}\u{E007F}', 'tag<U+E0001><U+E0041><U+E007F>', 'U+E0001 U+E0041 U+E007F'],
  ['x\u3164y\u115Fz\u034Fw', 'x<U+3164>y<U+115F>z<U+034F>w', 'U+034F U+115F U+3164'],
  ['line\u2028sep\u2029', 'line<U+2028>sep<U+2029>', 'U+2028 U+2029'],
  ['a\u200Db', 'a<U+200D>b', 'U+200D'],
  ['a\uD800b', 'a<U+D800>b', 'U+D800'],
  ['\uDC00\uD800', '<U+DC00><U+D800>', 'U+D800 U+DC00'],
  ['e\u0301\u0301\u0301\u0301\u0301\u0301', 'e\u0301\u0301\u0301\u0301<U+0301><U+0301>', 'U+0301'],
];

const normal = [
  'café é', 'é decomposed: e\u0301', '漢字かなカナ 한국어 العربية עברית', 'Ελληνικά кириллица',
  'emoji 😀 ❤️ 👍🏽 1️⃣ 🇫🇷', 'a family 👨\u200D👩\u200D👧 and 🏳️\u200D🌈', 'ideographic variant 葛\u{E0100}',
  'math 𝔸 and symbols ∀ → ≠ «»', '', 'plain ASCII with <angle> brackets and \\u001b written as text',
];

test('each kind of control, bidirectional, invisible and tag character becomes a marker and is reported', () => {
  for (const [text, shown, replaced] of hostile) {
    const result = visible.renderVisible(text, 'singleLine');
    assert.equal(result.text, shown, JSON.stringify(text));
    assert.equal(result.replaced.join(' '), replaced, JSON.stringify(text));
  }
});

test('letters of any script, accents, emoji and their joiners pass unchanged in both layouts', () => {
  for (const text of normal) {
    for (const layout of ['singleLine', 'multiLine']) {
      assert.deepEqual(visible.renderVisible(text, layout), { text, replaced: [] }, JSON.stringify(text));
    }
  }
});

test('tab and line feed are kept only where the text may span lines', () => {
  assert.equal(visible.visibleBlock('a\tb\nc'), 'a\tb\nc');
  assert.equal(visible.visibleBlock('a\r\nb'), 'a\nb');
  assert.equal(visible.visibleBlock('a\rb'), 'a<U+000D>b');
  assert.equal(visible.visibleLine('a\tb\nc'), 'a<U+0009>b<U+000A>c');
  assert.equal(visible.visibleLine('a\r\nb'), 'a<U+000D><U+000A>b');
});

test('hidden characters in lines ignore line terminators and tabs and list each code point once in order', () => {
  assert.deepEqual(visible.hiddenCharactersInLines(['\tok\r\n', 'a\u202Eb\n', '\u{E0041}\u202E\r', '\u001b[2K\n', 'plain']), ['U+001B', 'U+202E', 'U+E0041']);
  assert.deepEqual(visible.hiddenCharactersInLines(['\tindented\r\n', 'é 漢字 😀\n', 'last']), []);
});

test('agent text in Markdown cannot become a link, an image, a command URI, HTML or an entity', () => {
  const hostileMarkdown = '[click](command:workbench.action.terminal.new) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> &#x202E; **bold** https://evil.example';
  const shown = visible.markdownText(hostileMarkdown);
  assert.doesNotMatch(shown, /(?<!\\)\[|(?<!\\)\]|(?<!\\)\(|(?<!\\)<|(?<!\\)&|(?<!\\)\*/u);
  assert.doesNotMatch(shown, /https:\/\//u);
  assert.equal(shown.replace(/\\(.)/gu, '$1'), hostileMarkdown, 'unescaped, it is the same text');
  assert.equal(visible.markdownCode('a ``b`` c'), '``` a ``b`` c ```');
  assert.equal(visible.markdownCode('\u202Eevil'), '`<U+202E>evil`');
});

test('HTML, JSON and notification text show the markers and keep the data', () => {
  assert.equal(visible.htmlText('<b>\u202E</b>'), '&#60;b&#62;&#60;U+202E&#62;&#60;/b&#62;');
  const json = JSON.stringify({ agent: 'a\u202Eb\u{E0041}', line: '\u001b[2K' });
  const shown = visible.visibleJson(json);
  assert.doesNotMatch(shown, /[\u202E\u001b]|\u{E0041}/u);
  assert.deepEqual(JSON.parse(shown), JSON.parse(json));
  assert.equal(visible.notificationText('see [here](command:x)\u001b[2J'), 'see [here] (command:x)<U+001B>[2J');
  assert.equal(visible.visibleIconLabel('$(pass) ok\t'), '\\$(pass) ok<U+0009>');
});

test('decoration text is one neutralized line cut with an ellipsis', () => {
  assert.equal(visible.boundedLine('a\nb', 10), 'a<U+000A>b');
  const long = visible.boundedLine('x'.repeat(500) + '\u202E');
  assert.equal(Array.from(long).length, visible.maxDecorationLength);
  assert.ok(long.endsWith('…'));
  assert.equal(visible.boundedLine('😀'.repeat(10), 5), '😀😀😀😀…', 'never cuts a surrogate pair');
});
