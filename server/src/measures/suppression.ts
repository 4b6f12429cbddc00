// Secondary suppression (docs/measures.md#suppression): once some cells are hidden, hide more so that no hidden cell
// can be recovered by subtracting the visible ones from a published total.

/** Cells whose values add up to a total: the total is published elsewhere or, if `total` is given, in the same table. */
export interface SumGroup {
  cells: string[];
  total?: string;
}

/**
 * Grows `hidden` until no group has exactly one hidden cell: in such a group the smallest visible cell (by `size`,
 * then by id, so the choice does not depend on the order of the rows) is hidden too; where no cell is left to hide, the
 * group's total is. An empty cell (size 0) needs no partner, and is never one: there is nothing in it to reveal or to hide behind. Repeated until nothing changes, because hiding a cell in one group can leave another with one.
 */
export function secondarySuppression(hidden: ReadonlySet<string>, groups: SumGroup[], size: (cell: string) => number): Set<string> {
  const out = new Set(hidden);
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const visible = group.cells.filter((c) => !out.has(c));
      if (group.cells.filter((c) => out.has(c) && size(c) > 0).length !== 1) continue;
      const partner = visible.filter((c) => size(c) > 0).sort((a, b) => size(a) - size(b) || a.localeCompare(b))[0] ?? group.total;
      if (partner !== undefined && !out.has(partner)) {
        out.add(partner);
        changed = true;
      }
    }
  }
  return out;
}
