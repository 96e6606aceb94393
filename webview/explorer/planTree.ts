import type { PlanStep } from '../../src/protocol/explorerProtocol';
import { el } from '../shared/dom';

/**
 * EXPLAIN QUERY PLAN as a tree: SQLite gives rows with an id and a parent id; nested lists show which
 * step runs inside which (a SCAN inside a correlated subquery, a SEARCH under a join). Steps that scan
 * a whole table are marked: they are what makes a start-up query slow.
 */
export function planTree(plan: PlanStep[]): HTMLElement {
  const children = new Map<number, PlanStep[]>();
  const ids = new Set(plan.map((n) => n.id));
  for (const node of plan) {
    // A parent SQLite does not list (it happens with some subqueries) puts the node at the top.
    const parent = ids.has(node.parent) ? node.parent : 0;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const list = (parent: number, depth: number): HTMLElement | null => {
    const nodes = children.get(parent);
    if (!nodes || depth > 64) return null;
    return el(
      'ul',
      { className: depth === 0 ? 'plan-tree' : 'plan-children', attrs: { role: depth === 0 ? 'tree' : 'group' } },
      ...nodes.map((node) =>
        el(
          'li',
          { attrs: { role: 'treeitem' } },
          el('span', { className: `plan-step${/^SCAN /.test(node.detail) ? ' plan-scan' : ''}` }, node.detail),
          list(node.id, depth + 1),
        ),
      ),
    );
  };
  return list(0, 0) ?? el('p', { className: 'muted' }, 'SQLite returned no plan.');
}
