// A fast first reading of a tenant file. The `yaml` package builds a full document model for every
// file, which was half the time of a 1,000-tenant generate; js-yaml reads the same small file in a
// seventh of that. It is used only where it cannot disagree with `yaml`:
//  - on files written in the plain block style tenant files use (every line a comment, `key: value`
//    or `- value`, values being words, simple quoted strings or one-line flow collections), so no
//    anchor, alias, tag, directive, document marker, multi-line scalar or odd character arises,
//    where the two readers are known to differ;
//  - with a schema whose plain-scalar rules are exactly the `yaml` package's YAML 1.2 core schema
//    (the regular expressions below are its), so `10`, `0x1f`, `1_000` or `.5` read the same way;
//  - and only for files that then pass every check: any js-yaml error, and any document that fails
//    validation, is read again by `yaml` (parse.ts), so every message a person sees comes from one
//    reader. Properties in test/tenant compare the two readers over random and edited documents.
import jsYaml from 'js-yaml';

// js-yaml keeps one type per tag, so each tag's rules (several in `yaml`) are tried in its order.
function scalarType(tag: string, rules: [RegExp, (text: string) => unknown][]): jsYaml.Type {
  const ruleFor = (text: string | null) => (text === null ? undefined : rules.find(([test]) => test.test(text)));
  return new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => ruleFor(text) !== undefined,
    construct: (text: string) => ruleFor(text)![1](text),
  });
}

const CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalarType('null', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalarType('bool', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T']]),
    scalarType('int', [
      [/^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)],
    ]),
    scalarType('float', [
      [
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
        (text) =>
          text.slice(-3).toLowerCase() === 'nan'
            ? Number.NaN
            : text[0] === '-'
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY,
      ],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)],
    ]),
  ],
});

// The lines this reader accepts; a file with any other line is left to `yaml`.
const KEY = String.raw`(?!(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE):)[A-Za-z][A-Za-z0-9._/-]*`;
const WORD = String.raw`-?[A-Za-z0-9_./+][A-Za-z0-9_.@/+=-]*(?: [A-Za-z0-9_.@/+=-]+)*`;
const SCALAR = String.raw`(?:${WORD}|"[ !#-\[\]-~]*"|'[ -&(-~]*')`;
const FLOW_SEQ = String.raw`\[ *(?:${SCALAR}(?: *, *${SCALAR})*)? *\]`;
const FLOW_ENTRY = String.raw`${KEY}: +(?:${SCALAR}|${FLOW_SEQ})`;
const FLOW_MAP = String.raw`\{ *(?:${FLOW_ENTRY}(?: *, *${FLOW_ENTRY})*)? *\}`;
const VALUE = String.raw`(?:${SCALAR}|${FLOW_MAP}|${FLOW_SEQ})`;
const COMMENT = String.raw`(?: +#[ -~]*)?`;
const PLAIN_LINE = new RegExp(
  String.raw`^(?: *(?:#[ -~]*)?| *(?:- +)*${KEY}:(?: +${VALUE})?${COMMENT}| *(?:- +)+${VALUE}${COMMENT})$`,
);

function isPlainBlockYaml(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (!PLAIN_LINE.test(text.slice(start, end))) return false;
    start = end + 1;
  }
  return true;
}

/**
 * The file's one document as plain data, or undefined when this reader stays out of it (a line
 * outside the plain block style, anything but one mapping, or any error): the caller then reads it
 * with `yaml`.
 */
export function loadPlainYaml(text: string): Record<string, unknown> | undefined {
  if (!isPlainBlockYaml(text)) return undefined;
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
