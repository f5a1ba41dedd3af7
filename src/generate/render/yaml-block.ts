// A fast path for the YAML the generator writes: block maps and sequences of plain data, laid out
// exactly as the `yaml` package lays them out. The package still decides every scalar and key
// (quoting, escaping, number formats): each distinct one is stringified by it once, in the same
// context (a map value, a sequence item, a key), and remembered. Only the indentation, which is
// fixed for block collections, is assembled here. Anything outside that shape (multi-line text,
// a sequence directly in a sequence, undefined in a sequence, non-plain objects) returns
// undefined and the caller uses the package for the whole document. Tests compare this path with
// `stringify` byte for byte over random documents.
import { stringify } from 'yaml';

/** The options every generated YAML file is written with. */
export const STRINGIFY_OPTIONS = { lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false } as const;

const SCALAR_MEMO_LIMIT = 50_000;

class Unsupported extends Error {}

/** Words, names, paths and quantities: letters, digits and `._/-`, not starting with a sign or a dot. */
const PLAIN_WORD = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** What YAML 1.2's core schema reads as a boolean, null or number: those words need quotes. */
const CORE_NON_STRING =
  /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)$/;

/**
 * Words separated by single spaces, with punctuation the package never quotes in a block value: no
 * `#` (a comment), no `: ` or trailing `:` (a key), no leading indicator, no trailing space; a `:`
 * inside a word stays plain (`Group:acme-admins`). A space or colon must be followed by one of the
 * other characters, which says all that without a look-behind (several times slower here). Only for values: a key stays a PLAIN_WORD. Each
 * tenant has a few such values of its own (its AppProject's description and roles, its node
 * selector), and a package call for each was a tenth of a generate.
 */
const PLAIN_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9._/(),=@+-]|[ :](?=[A-Za-z0-9._/(),=@+-]))*$/;

/**
 * JSON text in a value (an annotation such as a namespace's default tolerations): it starts with a
 * flow indicator, so it cannot be plain, and having `"` but no `'`, the package single-quotes it
 * without escaping anything. Printable ASCII only, so no character needs an escape.
 */
const SINGLE_QUOTED_JSON = /^[[{][\x20-\x26\x28-\x7e]*$/;

function singleQuotedJson(value: string): string | undefined {
  return SINGLE_QUOTED_JSON.test(value) && value.includes('"') ? `'${value}'` : undefined;
}

/**
 * The text of a scalar that needs no decision: a word (or, as a value, words) that can only be
 * read back as that string, a small integer, a boolean or null. Everything else (and every
 * first-time scalar of another shape) goes through the package. The generator's scalars are almost
 * all of this kind, and each tenant brings new ones (its names), so this saves a package call per
 * new name.
 */
function plainText(value: unknown, pattern: RegExp): string | undefined {
  if (typeof value === 'string') {
    // Most values are single words: the simpler pattern answers first.
    if (PLAIN_WORD.test(value) || (pattern !== PLAIN_WORD && pattern.test(value)))
      return CORE_NON_STRING.test(value) ? undefined : value;
    return pattern === PLAIN_VALUE ? singleQuotedJson(value) : undefined;
  }
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value === null ? 'null' : undefined;
}

/** `stringify` of a small wrapper, with the wrapper's own text cut off; memoised per scalar. */
class ScalarTexts {
  readonly #memo = new Map<unknown, string>();
  readonly #wrap: (value: unknown) => unknown;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #plain: RegExp;
  readonly #rememberPlain: boolean;

  /**
   * `rememberPlain` for keys: a few hundred words, each seen thousands of times, so one lookup
   * beats the pattern. Values are mostly new words (names), which would only fill the memo.
   */
  constructor(wrap: (value: unknown) => unknown, prefix: string, suffix: string, plain: RegExp, rememberPlain = false) {
    this.#wrap = wrap;
    this.#prefix = prefix;
    this.#suffix = suffix;
    this.#plain = plain;
    this.#rememberPlain = rememberPlain;
  }

  text(value: unknown): string {
    if (this.#rememberPlain) {
      const hit = this.#memo.get(value);
      if (hit !== undefined) return hit;
    }
    const plain = plainText(value, this.#plain);
    if (plain !== undefined) {
      if (this.#rememberPlain) this.#remember(value, plain);
      return plain;
    }
    const hit = this.#memo.get(value);
    if (hit !== undefined) return hit;
    const full = stringify(this.#wrap(value), STRINGIFY_OPTIONS);
    if (!full.startsWith(this.#prefix) || !full.endsWith(this.#suffix)) throw new Unsupported();
    const text = full.slice(this.#prefix.length, full.length - this.#suffix.length);
    // Block scalars, folded or multi-line keys depend on indentation: leave them to the package.
    if (text.includes('\n')) throw new Unsupported();
    this.#remember(value, text);
    return text;
  }

  #remember(value: unknown, text: string): void {
    if (this.#memo.size >= SCALAR_MEMO_LIMIT) this.#memo.clear();
    this.#memo.set(value, text);
  }
}

const MAP_VALUE = new ScalarTexts((v) => ({ k: v }), 'k: ', '\n', PLAIN_VALUE);
const SEQ_ITEM = new ScalarTexts((v) => [v], '- ', '\n', PLAIN_VALUE);
// A key at column 0 may need quotes that a nested one does not (`---` would end the document).
const TOP_KEY = new ScalarTexts((k) => ({ [k as string]: null }), '', ': null\n', PLAIN_WORD, true);
const NESTED_KEY = new ScalarTexts((k) => ({ k: { [k as string]: null } }), 'k:\n  ', ': null\n', PLAIN_WORD, true);

type Plain = Record<string, unknown>;
export type KeyOrder = (a: string, b: string) => number;

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

/**
 * The keys in the order an object built by inserting them sorted would list them: JavaScript puts
 * array-index keys first, ascending, whatever the insertion order.
 */
function orderedKeys(map: Plain, order: KeyOrder | undefined): string[] {
  const keys = Object.keys(map);
  if (order === undefined) return keys;
  keys.sort(order);
  if (!keys.some(isArrayIndex)) return keys;
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isArrayIndex(k))];
}

/** A key JavaScript lists first; the digit check spares the pattern for almost every key. */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && ARRAY_INDEX.test(key);
}

function isPlainObject(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function emitMap(map: Plain, indent: string, out: string[], order: KeyOrder | undefined): void {
  for (const key of orderedKeys(map, order)) {
    const value = map[key];
    if (value === undefined) continue;
    const head = `${indent}${(indent === '' ? TOP_KEY : NESTED_KEY).text(key)}:`;
    if (isScalar(value)) {
      out.push(`${head} ${MAP_VALUE.text(value)}`);
      continue;
    }
    const at = out.length;
    out.push(head);
    if (Array.isArray(value)) emitSeq(value, `${indent}  `, out, order);
    else if (isPlainObject(value)) emitMap(value, `${indent}  `, out, order);
    else throw new Unsupported();
    // Nothing under the key: an empty collection, written on the key's line.
    if (out.length === at + 1) out[at] = `${head} ${Array.isArray(value) ? '[]' : '{}'}`;
  }
}

function emitSeq(seq: unknown[], indent: string, out: string[], order: KeyOrder | undefined): void {
  for (const item of seq) {
    if (isScalar(item)) {
      out.push(`${indent}- ${SEQ_ITEM.text(item)}`);
      continue;
    }
    if (!isPlainObject(item)) throw new Unsupported();
    // A map item starts on the dash's line; its other keys line up under the first one.
    const first = out.length;
    emitMap(item, `${indent}  `, out, order);
    if (out.length === first) out.push(`${indent}- {}`);
    else out[first] = `${indent}- ${out[first]!.slice(indent.length + 2)}`;
  }
}

/**
 * The document as `stringify(value, STRINGIFY_OPTIONS)` writes it, or undefined when outside the
 * fast path. With `order`, every map is written as if its keys had been inserted in that order.
 */
export function blockYaml(value: unknown, order?: KeyOrder): string | undefined {
  if (!isPlainObject(value) || !Object.values(value).some((v) => v !== undefined)) return undefined;
  const out: string[] = [];
  try {
    emitMap(value, '', out, order);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return `${out.join('\n')}\n`;
}
