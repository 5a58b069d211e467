// The one neutralizer for agent text in the editor: controls, invisible and bidirectional code points become visible
// markers, Markdown and HTML from agent text is escaped, and one-line places are bounded. Same rules as the server's
// VisibleText (server/OpenThymos.Core/Text); docs/protocol.md, Agent text on screen, lists them. No vscode import, so the
// Node tests cover it directly (tests/node/visibleText.test.mjs).

// The server's list of combining marks, not this engine's \p{Mn}: Node and VS Code's Electron may know a newer Unicode
// than the server's .NET (with \p{Mn}, Unicode 17's marks U+1ACF–1ADD, U+1AE0–1AEB, … were capped here but not on the
// server), so the cap on stacked marks would differ between the CLI and the editor.
import { isCombiningMark } from './combiningMarks';

/** Where rendered text is shown, which decides whether tab and line feed are kept. */
export type VisibleTextLayout = 'singleLine' | 'multiLine';

/** Rendered text and the code points that were replaced by markers. */
export interface VisibleTextResult {
  /** The text as shown. */
  text: string;
  /** Distinct `U+XXXX` names of the replaced code points in code point order; empty when the text was shown unchanged. */
  replaced: string[];
}

/** Combining marks allowed on one base character; further ones are shown as markers. */
export const maxStackedMarks = 4;

/**
 * Text for a one-line place (a label, a name, a path, a notification, a CodeLens title): every control is a marker,
 * tab and line breaks included, so the text stays on its line.
 */
export function visibleLine(text: string | null | undefined): string {
  return renderVisible(text, 'singleLine').text;
}

/** Text for a multi-line place (a description in a hover, a report): tab and line feed are kept, CRLF becomes a line feed. */
export function visibleBlock(text: string | null | undefined): string {
  return renderVisible(text, 'multiLine').text;
}

/**
 * Renders `text` for a person: C0 controls (ESC, BEL, …), DEL, C1 controls, unpaired surrogates, bidirectional controls,
 * line and paragraph separators, interlinear annotation controls and default-ignorable code points (zero-width characters,
 * U+00AD, U+2060–206F, U+FEFF, tags U+E0000–E0FFF, …) become `<U+XXXX>`, as do combining marks stacked beyond
 * `maxStackedMarks`. Variation selectors and a zero-width joiner between two emoji pass, so emoji stay whole.
 */
export function renderVisible(text: string | null | undefined, layout: VisibleTextLayout): VisibleTextResult {
  const found = new Set<number>();
  const shown = render(text ?? '', layout, found);
  return { text: shown, replaced: [...found].sort((a, b) => a - b).map(codePointName) };
}

/**
 * The code points a reviewer could not see in these lines of a file, as distinct `U+XXXX` names in code point order.
 * Each line's own terminator (LF, CRLF or a final CR) and tabs are not counted. The server sends the same list as
 * `HunkInfo.hiddenCharacters`; this computes it for text the editor builds itself.
 */
export function hiddenCharactersInLines(lines: readonly string[]): string[] {
  const found = new Set<number>();
  for (const line of lines) {
    render(stripLineTerminator(line), 'multiLine', found);
  }
  return [...found].sort((a, b) => a - b).map(codePointName);
}

/** The `U+XXXX` name of a code point (uppercase hex, at least four digits). */
export function codePointName(codePoint: number): string {
  return 'U+' + codePoint.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Agent text as literal Markdown: neutralized, then every character Markdown or HTML could read as syntax is escaped,
 * so it can never become a link, an image, a `command:` URI, emphasis, a heading or HTML. Use in hovers and tooltips
 * built as `MarkdownString` with `isTrusted` false and `supportHtml` false.
 */
export function markdownText(text: string | null | undefined, layout: VisibleTextLayout = 'singleLine'): string {
  const shown = renderVisible(text, layout).text.replace(/[\\`*_{}[\]()#+\-.!|~<>&:$]/g, (c) => '\\' + c);
  // A line break in Markdown needs two; keep the multi-line text's lines apart.
  return layout === 'multiLine' ? shown.replace(/\n/g, '  \n') : shown;
}

/** Agent text as a Markdown code span: neutralized and shown literally (no links, emphasis or HTML); the fence is longer than any backtick run inside. */
export function markdownCode(text: string | null | undefined): string {
  const shown = visibleLine(text);
  const run = longestBacktickRun(shown);
  if (run === 0 && shown !== '' && !shown.startsWith(' ') && !shown.endsWith(' ')) {
    return `\`${shown}\``;
  }
  const fence = '`'.repeat(run + 1);
  return `${fence} ${shown} ${fence}`;
}

/** The length of the longest run of backticks in `text`. */
export function longestBacktickRun(text: string): number {
  return Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
}

/** Agent text for an HTML page: neutralized, then `& < > " '` escaped. */
export function htmlText(text: string | null | undefined, layout: VisibleTextLayout = 'singleLine'): string {
  return renderVisible(text, layout).text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/** Longest one-line text shown in decorations and ghost text before it is cut with an ellipsis. */
export const maxDecorationLength = 120;

/** Agent text for decorations and ghost text: one line, neutralized, cut at `max` characters with an ellipsis. */
export function boundedLine(text: string | null | undefined, max: number = maxDecorationLength): string {
  const shown = visibleLine(text);
  const points = Array.from(shown);
  return points.length <= max ? shown : points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * Agent text for places that read `$(icon)` syntax (QuickPick items, status bar): one line, neutralized, with `$(`
 * escaped so agent text cannot draw icons such as a check mark.
 */
export function visibleIconLabel(text: string | null | undefined): string {
  return visibleLine(text).replace(/\$\(/g, '\\$(');
}

/** The warning shown for a hunk or proposal holding hidden characters, or '' when there are none. */
export function hiddenCharactersWarning(characters: readonly string[] | undefined, what: 'hunk' | 'proposal' | 'file' = 'hunk'): string {
  return characters === undefined || characters.length === 0 ? '' : `⚠ ${what} contains hidden or control characters: ${characters.join(' ')}`;
}

function render(text: string, layout: VisibleTextLayout, found: Set<number>): string {
  let out = '';
  let marks = 0;
  let changed = false;
  for (let i = 0; i < text.length;) {
    const [codePoint, width] = codePointAt(text, i);
    marks = isCombiningMark(codePoint) ? marks + 1 : 0;
    const keep = !neutralized(text, i, codePoint, width, layout) && marks <= maxStackedMarks;
    if (keep && layout === 'multiLine' && codePoint === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
      // CRLF is one line break: the CR is dropped rather than shown, as the text has not lost a line.
      changed = true;
      i += 1;
      continue;
    }
    if (keep) {
      out += text.slice(i, i + width);
    } else {
      out += '<' + codePointName(codePoint) + '>';
      found.add(codePoint);
      changed = true;
    }
    i += width;
  }
  return changed ? out : text;
}

function stripLineTerminator(line: string): string {
  if (line.endsWith('\r\n')) {
    return line.slice(0, -2);
  }
  return line.endsWith('\n') || line.endsWith('\r') ? line.slice(0, -1) : line;
}

function codePointAt(text: string, i: number): [number, number] {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      return [(c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000, 2];
    }
  }
  return [c, 1];
}

function neutralized(text: string, i: number, codePoint: number, width: number, layout: VisibleTextLayout): boolean {
  if (codePoint < 0x20) {
    const kept = codePoint === 0x09 || codePoint === 0x0a || (codePoint === 0x0d && text.charCodeAt(i + 1) === 0x0a);
    return !(layout === 'multiLine' && kept);
  }
  if (codePoint >= 0x7f && codePoint <= 0x9f) {
    return true;
  }
  if (width === 1 && codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return true;
  }
  if (codePoint === 0x200d) {
    return !joinsEmoji(text, i);
  }
  return isInvisibleOrBidirectional(codePoint);
}

/** The format, bidirectional and default-ignorable code points always shown as markers (same table as the server's). */
function isInvisibleOrBidirectional(c: number): boolean {
  if (c === 0x00ad || c === 0x034f || c === 0x061c || c === 0x3164 || c === 0xfeff || c === 0xffa0) {
    return true;
  }
  const ranges: [number, number][] = [
    [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180b, 0x180f], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x206f],
    [0xfff0, 0xfffb], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a],
  ];
  if (ranges.some(([low, high]) => c >= low && c <= high)) {
    return true;
  }
  // Tag characters and the rest of plane 14's default-ignorable block; its variation selectors shape ideographs.
  return c >= 0xe0000 && c <= 0xe0fff && !(c >= 0xe0100 && c <= 0xe01ef);
}

// A zero-width joiner is part of an emoji sequence when an emoji, or its variation selector or skin tone, is on both sides.
function joinsEmoji(text: string, i: number): boolean {
  if (i === 0 || i + 1 >= text.length) {
    return false;
  }
  const low = text.charCodeAt(i - 1);
  const before = low >= 0xdc00 && low <= 0xdfff && i >= 2 ? codePointAt(text, i - 2)[0] : low;
  const [after] = codePointAt(text, i + 1);
  return (isEmoji(before) || before === 0xfe0f || (before >= 0x1f3fb && before <= 0x1f3ff)) && isEmoji(after);
}

function isEmoji(c: number): boolean {
  return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf) || (c >= 0x2b00 && c <= 0x2bff);
}

/**
 * Agent text inside a notification or modal dialog: one line, neutralized, and with Markdown link syntax broken
 * (`[label](target)` would render as a link, `command:` targets included), so the message reads as plain text.
 */
export function notificationText(text: string | null | undefined): string {
  return visibleLine(text).replace(/\]\(/g, '] (');
}

/**
 * JSON text for an editor document: JSON already escapes controls, but keeps bidirectional and invisible code points
 * raw inside strings; they are written as `\uXXXX` escapes instead, so the document is the same JSON and shows them.
 */
export function visibleJson(json: string): string {
  let out = '';
  for (let i = 0; i < json.length;) {
    const [codePoint, width] = codePointAt(json, i);
    const hide = codePoint >= 0x20 && neutralized(json, i, codePoint, width, 'multiLine');
    out += hide ? Array.from({ length: width }, (_, k) => '\\u' + json.charCodeAt(i + k).toString(16).padStart(4, '0')).join('') : json.slice(i, i + width);
    i += width;
  }
  return out;
}
