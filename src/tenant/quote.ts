// How a value from a spec appears inside an error message. Messages reach terminals, logs and API
// clients, so they must never carry the line break, bidi control or NUL they complain about, nor
// grow with the input: a string is quoted with every character outside printable ASCII written as
// \u{…} and cut short, and anything else is named by its type rather than printed.

const SHOWN_LENGTH = 80;

export function quoteForMessage(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'string') return typeof value === 'object' ? 'a mapping' : typeof value;
  const chars = [...value];
  const shown = chars
    .slice(0, SHOWN_LENGTH)
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if (c === '"' || c === '\\') return `\\${c}`;
      return code >= 0x20 && code < 0x7f ? c : `\\u{${code.toString(16).toUpperCase()}}`;
    })
    .join('');
  const cut = chars.length > SHOWN_LENGTH ? ` (the first ${SHOWN_LENGTH} of ${chars.length} characters)` : '';
  return `"${shown}"${cut}`;
}
