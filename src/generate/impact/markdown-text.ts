// Putting untrusted text (object names, field values, kustomize's messages, git refs) into GitHub
// markdown. Everything goes into code spans: inside one, markdown, HTML and @mentions are inert, so
// a value can neither format the comment nor ping anyone. Only the fence needs care, and in a table
// cell the pipe (GitHub splits cells on `|` even inside code spans unless it is escaped).

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** `text` as a code span; `inTable` escapes pipes for a table cell. */
export function code(text: string, inTable = false): string {
  const flat = oneLine(text);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick needs a space between it and the fence, which
  // CommonMark strips again.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const body = inTable ? flat.replaceAll('|', '\\|') : flat;
  return `${fence}${pad}${body || ' '}${pad}${fence}`;
}

/** `text` inside HTML (a `<summary>`), where markdown is not parsed. */
export function html(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Appends text while it fits under a limit that keeps `reserve` characters for a closing notice. */
export class Budget {
  private readonly parts: string[] = [];
  private used = 0;
  constructor(
    private readonly limit: number,
    private readonly reserve: number,
  ) {}

  /** Appends `text` (and keeps `keep` more characters free for what must follow it) if it fits. */
  add(text: string, keep = 0): boolean {
    if (this.used + text.length + keep + this.reserve > this.limit) return false;
    this.parts.push(text);
    this.used += text.length;
    return true;
  }

  /** Appends without the check: for the closing text the reserve was kept for. */
  force(text: string): void {
    this.parts.push(text);
    this.used += text.length;
  }

  toString(): string {
    return this.parts.join('');
  }
}
