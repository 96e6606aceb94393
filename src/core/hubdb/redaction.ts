import { queryOrigins } from './columnOrigins';
import { columnTreatment, REDACTED, redactJsonText, type ColumnTreatment } from './secrets';
import type { Database } from './sqlJs';

export { REDACTED } from './secrets';

/** How each column of a result is shown, in result order. */
export type RedactionPlan = readonly ColumnTreatment[];

/** The plan for rows read straight from one table (`SELECT * FROM t`, the explorer's table view). */
export function redactionPlanForTable(table: string, columns: readonly string[]): RedactionPlan {
  return columns.map((column) => columnTreatment(table, column));
}

/**
 * The plan for any statement, from where SQLite says each result column comes from (see
 * columnOrigins.ts). `columns` are the statement's result names, used when a column's origin is opaque
 * and the statement touches no secret at all.
 */
export function redactionPlanForQuery(db: Database, sql: string, columns: readonly string[]): RedactionPlan {
  let origins;
  try {
    origins = queryOrigins(db, sql);
  } catch {
    // The statement cannot be explained (it will fail to run as well): hide anything with a secret name.
    return columns.map((column) => (columnTreatment(null, column) === 'keep' ? 'keep' : 'redact'));
  }
  const readsSecrets = origins.reads.some((r) => columnTreatment(r.table, r.column) !== 'keep');
  return columns.map((name, i): ColumnTreatment => {
    const leaves = origins.columns[i] ?? [{ kind: 'opaque' as const }];
    const treatments = leaves.map((leaf) =>
      leaf.kind === 'column'
        ? columnTreatment(leaf.table, leaf.column)
        : leaf.kind === 'constant'
          ? 'keep'
          : readsSecrets
            ? 'redact'
            : columnTreatment(null, name),
    );
    if (treatments.includes('redact')) return 'redact';
    if (treatments.includes('json')) return 'json';
    // A computed column named like a secret (`SELECT 'x' AS password`) is hidden too.
    if (leaves.some((l) => l.kind !== 'column') && columnTreatment(null, name) === 'redact') return 'redact';
    return 'keep';
  });
}

/** One value as the plan says: secrets become ‹redacted›, JSON keeps its harmless keys. */
export function redactValue<T>(treatment: ColumnTreatment, value: T): T | string {
  if (value === null || value === undefined) return value;
  if (treatment === 'redact') return REDACTED;
  if (treatment === 'json') {
    if (typeof value === 'string') return redactJsonText(value);
    if (value instanceof Uint8Array) return REDACTED;
  }
  return value;
}

/** A row with its secrets replaced (a new array; NULL stays NULL so "no secret set" is still visible). */
export function redactRow<T>(plan: RedactionPlan, row: readonly T[]): (T | string)[] {
  return row.map((value, i) => redactValue(plan[i] ?? 'keep', value));
}

/** A row given as an object of one table's columns. */
export function redactRecord<T>(table: string, record: Readonly<Record<string, T>>): Record<string, T | string> {
  const out: Record<string, T | string> = {};
  for (const [column, value] of Object.entries(record))
    out[column] = redactValue(columnTreatment(table, column), value);
  return out;
}

/** Rows redacted lazily, for streaming exports. */
export function* redactRows<T>(plan: RedactionPlan, rows: Iterable<readonly T[]>): Generator<(T | string)[]> {
  for (const row of rows) yield redactRow(plan, row);
}
