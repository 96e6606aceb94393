/** Pieces of PromQL built from operator input: label values are quoted so a name can never become syntax. */

/** A PromQL string literal: double-quoted, with backslash, quote and line breaks escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Escapes RE2 metacharacters so a value matches itself inside `=~`. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `namespace="a"` for one namespace, `namespace=~"a|b"` for several. */
export function namespaceMatcher(namespaces: readonly string[]): string {
  if (namespaces.length === 1) return `namespace=${quote(namespaces[0]!)}`;
  return `namespace=~${quote(namespaces.map(regexLiteral).join('|'))}`;
}

/** A selector: `name{a="b", c=~"d"}` from a name and matchers already written as PromQL. */
export function selector(name: string, ...matchers: string[]): string {
  return `${name}{${matchers.filter((m) => m !== '').join(', ')}}`;
}
