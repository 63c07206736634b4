/**
 * The subset of CloudWatch Logs filter-pattern syntax the platform uses, compiled to a predicate:
 *   - terms:    `ERROR timeout`   every term must occur (case-sensitive)
 *   - phrases:  `"Task timed out"` the exact phrase must occur
 *   - `?a ?b`   at least one of the `?` terms must occur;  `-term` must not occur
 *   - JSON:     `{ $.level = "error" && $.tenant != "x" }`, `{ $.ms > 100 }`, `"abc*"` prefix wildcard;
 *               the whole message must be a JSON object, as in CloudWatch.
 */
export class InvalidFilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterPatternError';
  }
}

export type MessagePredicate = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonPattern(text);
  return compileTermPattern(text);
}

function compileTermPattern(text: string): MessagePredicate {
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  const tokenizer = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of text.matchAll(tokenizer)) {
    const [, modifier, quoted, bare] = match;
    const term = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    if (term === '') throw new InvalidFilterPatternError('Invalid filter pattern: empty term');
    if (modifier === '?') optional.push(term);
    else if (modifier === '-') excluded.push(term);
    else required.push(term);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    (optional.length === 0 || optional.some((term) => message.includes(term))) &&
    !excluded.some((term) => message.includes(term));
}

type Comparison = { path: (string | number)[]; op: '=' | '!=' | '<' | '>' | '<=' | '>='; value: unknown };

function compileJsonPattern(text: string): MessagePredicate {
  if (!text.endsWith('}')) throw new InvalidFilterPatternError('Invalid filter pattern: missing }');
  const body = text.slice(1, -1).trim();
  // `||` binds looser than `&&`, as in CloudWatch; parentheses are not supported.
  const alternatives = body.split('||').map((part) => part.split('&&').map((c) => parseComparison(c.trim())));
  return (message) => {
    const document = parseJsonObject(message);
    if (document === undefined) return false;
    return alternatives.some((all) => all.every((comparison) => evaluate(comparison, document)));
  };
}

const COMPARISON = /^\$((?:\.[A-Za-z0-9_$@-]+|\[\d+\])+)\s*(!=|<=|>=|=|<|>)\s*(.+)$/;

function parseComparison(text: string): Comparison {
  const match = COMPARISON.exec(text);
  if (!match) throw new InvalidFilterPatternError(`Invalid filter pattern: cannot parse '${text}'`);
  const [, rawPath = '', op = '=', rawValue = ''] = match;
  const path = [...rawPath.matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''),
  );
  return { path, op: op as Comparison['op'], value: parseValue(rawValue.trim()) };
}

function parseValue(raw: string): unknown {
  if (raw.startsWith('"')) {
    if (!raw.endsWith('"') || raw.length < 2)
      throw new InvalidFilterPatternError(`Invalid filter pattern: ${raw}`);
    return raw.slice(1, -1);
  }
  if (raw === 'NULL' || raw === 'null') return null;
  if (raw === 'TRUE' || raw === 'true') return true;
  if (raw === 'FALSE' || raw === 'false') return false;
  const number = Number(raw);
  return Number.isNaN(number) ? raw : number;
}

function evaluate({ path, op, value }: Comparison, document: unknown): boolean {
  let current: unknown = document;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string | number, unknown>)[key];
  }
  if (current === undefined) return false;
  if (op === '=' || op === '!=') {
    const equal = matchesValue(current, value);
    return op === '=' ? equal : !equal;
  }
  if (typeof current !== 'number' || typeof value !== 'number') return false;
  if (op === '<') return current < value;
  if (op === '>') return current > value;
  if (op === '<=') return current <= value;
  return current >= value;
}

function matchesValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (expected === '*') return true;
    if (expected.endsWith('*')) return actual.startsWith(expected.slice(0, -1));
    return actual === expected;
  }
  if (typeof expected === 'string' && typeof actual === 'number') return String(actual) === expected;
  return actual === expected;
}

function parseJsonObject(message: string): unknown {
  const trimmed = message.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
