// Owner names: the users and groups bound to the tenant-admin role in every tenant namespace.
// Kubernetes accepts any non-empty string as a User or Group subject. This grammar is much
// stricter on purpose: an owner name travels through our YAML, kustomize's Go YAML reader, the PR
// body's Markdown and a reviewer's eyes, and must read as the same name in each of them.
import { MAX_OWNER_NAME_LENGTH } from './limits.ts';
import type { NameProblem } from './name-rules.ts';
import { quoteForMessage } from './quote.ts';

/**
 * The grammar, the same for kind User and kind Group. Identity providers use e-mail addresses
 * for groups too (Google Groups), and API servers put a prefix on both (`--oidc-username-prefix`,
 * `--oidc-groups-prefix`, Dex's `org:team` GitHub groups), so neither kind gets a narrower one:
 *
 *     name   = *(word ":") (email / path)      e.g. oidc:alice, acme-org:platform-team
 *     path   = word *("/" word)                e.g. alice, alice.smith, acme/platform-team
 *     email  = local "@" label 1*("." label)   e.g. alice@example.com, alice+ci@example.com
 *     word   = runs of ASCII letters and digits joined by runs of "." or "-", or by one "_"
 *     local  = a word that may also join with "+"
 *     label  = runs of ASCII letters and digits joined by runs of "-"
 *
 * An "_" sits between letters or digits only: GitHub's Markdown reads `._x_.` as emphasis and
 * would show the PR's reviewer a name without its underscores. A name that starts with a digit
 * and has no letter beyond those of numbers and dates (`1_0`, `0b1`, `2001-12-14`) is refused
 * too: our YAML writes it as a string, but kustomize's Go YAML reader takes it for a number or a
 * timestamp and the RoleBinding would name someone else. Everything outside the grammar
 * (`|`, backticks, `<`, `*`, `[`, spaces, line breaks, every non-ASCII character) is refused,
 * and the rules below name the most dangerous refusals on their own. `system:` names are
 * Kubernetes' own identities (system:masters, system:authenticated, system:serviceaccount:<ns>:<name>).
 */
const ALNUM = '[A-Za-z0-9]+';
const WORD = `${ALNUM}(?:(?:[.-]+|_)${ALNUM})*`;
const LOCAL = `${ALNUM}(?:(?:[.+-]+|_)${ALNUM})*`;
const LABEL = `${ALNUM}(?:-+${ALNUM})*`;
const EMAIL = `${LOCAL}@${LABEL}(?:\\.${LABEL})+`;
const PATH = `${WORD}(?:/${WORD})*`;
const STRUCTURE = `(?:${WORD}:)*(?:${EMAIL}|${PATH})`;
const SYSTEM_PREFIX = 'system:';
const NOT_SYSTEM = `(?!${[...SYSTEM_PREFIX].map((c) => (c === ':' ? c : `[${c.toUpperCase()}${c}]`)).join('')})`;
/** A digit first and no letter beyond those of Go's number and timestamp literals (hex, 0b, 0o, 0x, e, t, z). */
const NUMBER_OR_DATE = '[0-9][0-9a-fA-FoOtTxXzZ_.:+-]*';

/** The whole grammar as one ECMAScript pattern (the JSON Schema's `pattern` for owner names). */
export const OWNER_NAME_PATTERN = `^${NOT_SYSTEM}(?!${NUMBER_OR_DATE}$)${STRUCTURE}$`;
const STRUCTURE_RE = new RegExp(`^${STRUCTURE}$`, 'u');
const NUMBER_OR_DATE_RE = new RegExp(`^${NUMBER_OR_DATE}$`, 'u');

const EXAMPLES = 'alice, alice.smith, alice@example.com, platform-team, acme/platform-team or oidc:platform-team';

interface OwnerNameRule {
  /** The rule's short name, returned with the refusal so a caller can tell which rule it was. */
  rule: string;
  /** The offending part of the name (a character's code point, a prefix), or undefined when the rule holds. */
  find(name: string): string | undefined;
  message(shown: string, found: string): string;
  fix: string;
}

const firstMatch = (pattern: RegExp) => (name: string) => {
  const found = pattern.exec(name)?.[0];
  return found === undefined ? undefined : codePoint(found);
};

/** Checked in order; the first rule a name breaks is the one reported. */
const OWNER_NAME_RULES: readonly OwnerNameRule[] = [
  {
    rule: 'empty',
    find: (name) => (name.length === 0 ? 'empty' : undefined),
    message: () => 'owner name is empty',
    fix: `name a user or group of this tenant, e.g. ${EXAMPLES}`,
  },
  {
    rule: 'too long',
    find: (name) => (name.length > MAX_OWNER_NAME_LENGTH ? String(name.length) : undefined),
    message: (shown, length) =>
      `owner name ${shown} is ${length} characters; an owner name has at most ${MAX_OWNER_NAME_LENGTH}`,
    fix: 'shorten it, or bind a shorter group name',
  },
  {
    rule: 'control character',
    // C0, DEL and C1 (U+0085, NEL, is a line break to kustomize's YAML reader but not to ours).
    // eslint-disable-next-line no-control-regex -- finding control characters is this rule's job
    find: firstMatch(/[\u0000-\u001F\u007F-\u009F]/u),
    message: (shown, found) => `owner name ${shown} contains the control character ${found}`,
    fix: 'remove it; an owner name is printable ASCII',
  },
  {
    rule: 'bidirectional control',
    find: firstMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u),
    message: (shown, found) =>
      `owner name ${shown} contains the bidirectional control ${found}, which makes it display in a different order than it is read`,
    fix: 'remove it and type the name in plain ASCII',
  },
  {
    rule: 'invisible character',
    find: firstMatch(/[\u200B-\u200D\u2060\uFEFF]/u),
    message: (shown, found) =>
      `owner name ${shown} contains the invisible character ${found}, so it looks like a name it is not`,
    fix: 'remove it and type the name in plain ASCII',
  },
  {
    rule: 'whitespace',
    find: firstMatch(/\s/u),
    message: (shown, found) => `owner name ${shown} contains the whitespace ${found}`,
    fix: 'remove the spaces, also at the start and the end',
  },
  {
    rule: 'not NFC',
    find: (name) => (name.normalize('NFC') === name ? undefined : 'not NFC'),
    message: (shown) =>
      `owner name ${shown} is not in Unicode normalization form NFC: the same letters can be written with other code points`,
    fix: 'type the name in plain ASCII',
  },
  {
    rule: 'non-ASCII character',
    find: firstMatch(/\P{ASCII}/u),
    message: (shown, found) =>
      `owner name ${shown} contains the non-ASCII character ${found}; owner names are ASCII so that ` +
      'a look-alike letter (Cyrillic U+0430 for Latin "a") cannot pass for another name',
    fix: 'type the name in plain ASCII',
  },
  {
    rule: 'system identity',
    find: (name) => (name.toLowerCase().startsWith(SYSTEM_PREFIX) ? name.slice(0, SYSTEM_PREFIX.length) : undefined),
    message: (shown) =>
      `owner name ${shown} is a Kubernetes system identity (names starting with "system:" are reserved: ` +
      'system:masters, system:authenticated, system:serviceaccount:<namespace>:<name>)',
    fix: 'name a user or group of this tenant',
  },
  {
    rule: 'character',
    find: firstMatch(/[^A-Za-z0-9._@+:/-]/u),
    message: (shown, found) =>
      `owner name ${shown} contains ${found}, which an owner name cannot hold ` +
      '(it could change how YAML, Markdown or a reviewer reads the name)',
    fix:
      'use ASCII letters, digits and . _ - only, with @ for an e-mail address, ' +
      ': after a prefix and / between group path parts',
  },
  {
    rule: 'grammar',
    find: (name) => (STRUCTURE_RE.test(name) ? undefined : 'grammar'),
    message: (shown) =>
      `owner name ${shown} is not a user name, group name or e-mail address: it must start and end with a ` +
      'letter or digit, "_" and "+" sit between letters or digits, and "@", ":" and "/" separate non-empty parts',
    fix: `write it like ${EXAMPLES}`,
  },
  {
    rule: 'number or date',
    find: (name) => (NUMBER_OR_DATE_RE.test(name) ? 'number or date' : undefined),
    message: (shown) =>
      `owner name ${shown} reads as a number or a date to kustomize's YAML reader, which would bind a different name`,
    fix: 'put a letter in it or a prefix before it, e.g. "u" or "oidc:"',
  },
];

/** The first rule `name` breaks, worded with the fix; undefined for a good owner name. */
export function checkOwnerName(name: string): (NameProblem & { rule: string }) | undefined {
  for (const rule of OWNER_NAME_RULES) {
    const found = rule.find(name);
    if (found !== undefined)
      return { rule: rule.rule, message: rule.message(quoteForMessage(name), found), fix: rule.fix };
  }
  return undefined;
}

/** `U+0085`, with `"|"` for a printable character. */
function codePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code >= 0x20 && code < 0x7f ? `"${character}" (${hex})` : hex;
}
