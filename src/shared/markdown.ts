// The one way a value reaches a reviewer's Markdown: `code(value)`, an inline code span whose
// content can never change the document around it. Inside a code span Markdown is inert (no
// emphasis, links, HTML, entities, mentions or autolinks), so only three things could still escape
// it: a backtick (closes the span), a line ending (ends the line, and with it the table row or list
// item) and `|` (GitHub splits table cells on it even inside a code span). A value is shown as it is
// when it holds none of those and nothing else a reader could misread; any other value is shown as
// a quoted literal with escapes, so the reviewer sees exactly which characters it holds.

/** Printable ASCII except `"`, `\`, backtick and `|`, words separated by single spaces. */
const PLAIN = /^[\x21\x23-\x5b\x5d-\x5f\x61-\x7b\x7d\x7e]+(?: [\x21\x23-\x5b\x5d-\x5f\x61-\x7b\x7d\x7e]+)*$/;

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A raw value (shown in a code span, escaped) or words of our own (shown as they are). */
export type Part = string | { text: string };

/** Parts side by side: each value in its own code span. */
export function parts(shown: readonly Part[]): string {
  return shown.map((p) => (typeof p === 'string' ? code(p) : p.text)).join(' ');
}

/** An inline code span showing `value` literally, safe in a table cell, a list item or a heading. */
export function code(value: string): string {
  return `\`${PLAIN.test(value) ? value : quoted(value)}\``;
}

/**
 * Like `code`, but a value longer than `max` characters shows its beginning and how long it is
 * (the warnings list values that a table further down shows in full).
 */
export function shortCode(value: string, max: number): string {
  const characters = [...value];
  if (characters.length <= max) return code(value);
  return `${code(characters.slice(0, max).join(''))}… (${characters.length.toLocaleString('en-US')} characters)`;
}

/**
 * `"…"` with `\\`, `\"`, `\n`, `\r`, `\t`, and `\u{hex}` for everything else that is not printable
 * ASCII: control and format characters (bidirectional overrides, zero-width spaces), look-alike
 * letters from other scripts, backtick, `|`, and a space after a space (HTML would fold the run).
 */
function quoted(value: string): string {
  let out = '"';
  let previous = '';
  for (const character of value) {
    const named = NAMED_ESCAPES[character];
    const point = character.codePointAt(0) ?? 0;
    if (named !== undefined) out += named;
    else if (character === ' ' && previous !== ' ') out += ' ';
    else if (point > 0x20 && point < 0x7f && character !== '`' && character !== '|') out += character;
    else out += `\\u{${point.toString(16)}}`;
    previous = character;
  }
  return `${out}"`;
}
