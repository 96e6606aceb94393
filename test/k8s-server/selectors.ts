/**
 * Label and field selectors with the API server's grammar: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated (AND). Field selectors support =, ==, != on dotted paths.
 */
import { badRequest, type Status } from './status';

type Requirement =
  | { key: string; op: 'eq' | 'neq'; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists'; values: [] };

export type Matcher = (labels: Record<string, string> | undefined) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function parseRequirement(term: string): Requirement | Status {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { key: m[1]!, op: m[2] as 'in' | 'notin', values };
  }
  m = /^([^!=\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]!] };
  m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'notexists', values: [] };
  if (keyPattern.test(term)) return { key: term, op: 'exists', values: [] };
  return badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

/** A label selector matcher, or a 400 Status for text the API server would reject. */
export function parseLabelSelector(text: string | null): Matcher | Status {
  if (!text) return () => true;
  const reqs: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const r = parseRequirement(term);
    if ('kind' in r) return r;
    reqs.push(r);
  }
  return (labels) =>
    reqs.every((r) => {
      const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
      const value = has ? labels![r.key] : undefined;
      switch (r.op) {
        case 'eq':
          return has && value === r.values[0];
        case 'neq':
          return !has || value !== r.values[0];
        case 'in':
          return has && r.values.includes(value!);
        case 'notin':
          return !has || !r.values.includes(value!);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
      }
    });
}

export type FieldMatcher = (object: unknown) => boolean;

/** Reads `a.b.c` out of a JSON object as the string the API server compares. */
export function fieldValue(object: unknown, path: string): string {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/**
 * A field selector matcher. `supported` lists the fields the resource allows (the real server rejects
 * others with 400 "field label not supported"); `aliases` maps a field label to its JSON path
 * (events' `source` is `source.component`).
 */
export function parseFieldSelector(
  text: string | null,
  supported: readonly string[],
  aliases: Record<string, string> = {},
): FieldMatcher | Status {
  if (!text) return () => true;
  const reqs: { path: string; neq: boolean; value: string }[] = [];
  for (const term of splitTerms(text)) {
    const m = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) return badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const path = m[1]!;
    if (!supported.includes(path)) return badRequest(`field label not supported: ${path}`);
    reqs.push({ path: aliases[path] ?? path, neq: m[2] === '!=', value: m[3]!.trim() });
  }
  return (object) => reqs.every((r) => (fieldValue(object, r.path) === r.value) !== r.neq);
}
