import { restoreReadOnly } from '../readOnly';
import { selectAll, type ReadableDb } from '../sqlRows';

/** One step of SQLite's plan (EXPLAIN QUERY PLAN), with its children. */
export interface PlanNode {
  id: number;
  parent: number;
  detail: string;
  children: PlanNode[];
}

/** The flat rows as SQLite returns them (id, parent, detail), for views that build their own tree. */
export function explainQueryPlanRows(db: ReadableDb, sql: string): { id: number; parent: number; detail: string }[] {
  try {
    return selectAll(db, `EXPLAIN QUERY PLAN ${sql}`).map((r) => ({
      id: Number(r[0]),
      parent: Number(r[1]),
      detail: String(r[3]),
    }));
  } finally {
    // Preparing untrusted SQL can switch flag pragmas (query_only) off: see readOnly.ts.
    restoreReadOnly(db);
  }
}

/** SQLite's plan for one statement as a tree (roots in order). Throws SQLite's error for invalid SQL. */
export function explainQueryPlan(db: ReadableDb, sql: string): PlanNode[] {
  const nodes = new Map<number, PlanNode>();
  const roots: PlanNode[] = [];
  for (const row of explainQueryPlanRows(db, sql)) {
    const node: PlanNode = { ...row, children: [] };
    nodes.set(node.id, node);
    const parent = nodes.get(node.parent);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
