// Putting untrusted text (object names, field values, kustomize's messages, git refs) into GitHub
// markdown: values go through the one escaper (shared/markdown.ts `code`), which keeps them inert
// in a table cell too; text inside a `<summary>` is HTML-escaped here, and a Budget keeps the
// comment under GitHub's body limit.

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
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
