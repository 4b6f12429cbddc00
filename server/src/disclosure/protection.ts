// Secondary suppression by boxes (docs/measures.md#suppression): every sensitive cell is hidden together with enough
// others that the published totals cannot pin it down, whichever answers are laid side by side.
//
// A table's rows lie on a tree (England > regions > LAs > schools) and its columns on a tree of one level (Total >
// Primary, Secondary, Special; or a breakdown's cohorts, whose total is the row without a breakdown). Every parent is
// the sum of its children, in both directions. A box is a choice of rows and columns with signs, summing to zero
// at every published parent (a pair of siblings, +1 and -1; a parent taken with one child, both +1; a non-leaf row
// carried down to a leaf, with its sign). Moving every cell of a box by (row sign x column sign) changes no published
// total: so when all of a box's cells are hidden, none of them can be solved for, from any number of answers
// (the hypercube method of statistical offices, in two dimensions). Each sensitive cell not yet inside a box gets the
// cheapest one that can be hidden whole.

/** Fewer enrolments than this in a cell, or fewer schools with data, and it is sensitive. */
export const MIN_PUPILS = 10;
export const MIN_SCHOOLS = 2;

export interface Table {
  /** Each published row's parent (undefined for the root); a row without children here is a leaf. */
  parent: ReadonlyMap<string, string | undefined>;
  children: ReadonlyMap<string, readonly string[]>;
  /** The column total in this table (Total), if it is in it; a breakdown's total is another answer's row. */
  rootColumn?: string;
  /** The columns that add up to the total. */
  leaves: readonly string[];
  /** Columns in no sum with the others (the phase Other, outside Total). */
  isolated: readonly string[];
  /** Enrolments in a cell; 0: empty (published as such, so never part of a box). */
  size(row: string, column: string): number;
  /** False for a cell that must stay as published elsewhere (another viewer's answer fixed already). */
  canHide(row: string, column: string): boolean;
}

export interface Box {
  rows: Map<string, number>;
  columns: Map<string, number>;
}

export const cellId = (row: string, column: string) => `${row}|${column}`;

/** Counts that do not add up (an LA's cell missing from its region) can leave a cell that no box protects. */
export class Unprotectable extends Error {}

/**
 * Hides every sensitive cell in a box: `hidden` (the sensitive cells and any hidden already) grows in place; returns
 * the boxes chosen. `covered`: cells already in a box (of another table whose total this one shares). Sensitive cells
 * are taken smallest first, so that one box tends to cover several.
 */
export function protect(
  table: Table,
  sensitive: Iterable<[string, string]>,
  hidden: Set<string>,
  covered = new Set<string>(),
): Box[] {
  const cells = [...sensitive].filter(([r, c]) => table.size(r, c) > 0);
  for (const [r, c] of cells) hidden.add(cellId(r, c));
  cells.sort(
    ([r1, c1], [r2, c2]) => table.size(r1, c1) - table.size(r2, c2) || cellId(r1, c1).localeCompare(cellId(r2, c2)),
  );
  const boxes: Box[] = [];
  for (const [row, column] of cells) {
    if (covered.has(cellId(row, column))) continue;
    const box = cheapestBox(table, row, column, hidden);
    if (!box) throw new Unprotectable(`No box can protect ${cellId(row, column)}`);
    boxes.push(box);
    for (const id of supportOf(box)) {
      hidden.add(id);
      covered.add(id);
    }
  }
  return boxes;
}

export function supportOf(box: Box): string[] {
  return [...box.rows.keys()].flatMap((r) => [...box.columns.keys()].map((c) => cellId(r, c)));
}

type Signed = [string, number][];

function cheapestBox(table: Table, row: string, column: string, hidden: ReadonlySet<string>): Box | undefined {
  let best: { rows: Signed; columns: Map<string, number>; cost: number } | undefined;
  for (const columns of columnOptions(table, column)) {
    const keys = [...columns.keys()];
    for (const rows of rowOptions(table, row, keys, hidden)) {
      const cost = costOf(table, rows, keys, hidden);
      if (cost !== undefined && (!best || cost < best.cost)) best = { rows, columns, cost };
    }
  }
  return best && { rows: new Map(best.rows), columns: best.columns };
}

/** Enrolments newly hidden by the box; undefined if a cell of it is empty or may not be hidden. */
function costOf(table: Table, rows: Signed, columns: string[], hidden: ReadonlySet<string>): number | undefined {
  let cost = 0;
  for (const [r] of rows) {
    for (const c of columns) {
      const size = table.size(r, c);
      if (size <= 0) return undefined;
      if (hidden.has(cellId(r, c))) continue;
      if (!table.canHide(r, c)) return undefined;
      cost += size;
    }
  }
  return cost;
}

function columnOptions(table: Table, column: string): Map<string, number>[] {
  if (table.isolated.includes(column)) return [new Map([[column, 1]])];
  if (column === table.rootColumn)
    return table.leaves.map(
      (leaf) =>
        new Map([
          [column, 1],
          [leaf, 1],
        ]),
    );
  const options = table.leaves
    .filter((leaf) => leaf !== column)
    .map(
      (leaf) =>
        new Map([
          [column, 1],
          [leaf, -1],
        ]),
    );
  if (table.rootColumn !== undefined)
    options.push(
      new Map([
        [column, 1],
        [table.rootColumn, 1],
      ]),
    );
  return options;
}

/**
 * The row with a sibling (+1, -1), each carried down to a leaf; or its parent taken too (+1) and paired with the
 * parent's sibling, and so on up; or the chain of its ancestors to the root. The cost decides between them; a level
 * further up is looked at only where this one has no pair, or the parent is hidden already (it costs nothing then).
 */
function rowOptions(table: Table, row: string, columns: string[], hidden: ReadonlySet<string>): Signed[] {
  const own = down(table, row, 1, columns, hidden);
  if (!own) return [];
  const usable = (r: string) =>
    columns.every((c) => table.size(r, c) > 0 && (hidden.has(cellId(r, c)) || table.canHide(r, c)));
  const options: Signed[] = [];
  for (let chain: Signed = [], node = row; ;) {
    const parent = table.parent.get(node);
    if (parent === undefined) return [...options, [...own, ...chain]];
    for (const sibling of table.children.get(parent) ?? []) {
      if (sibling === node || !usable(sibling)) continue;
      const other = down(table, sibling, -1, columns, hidden);
      if (other) options.push([...own, ...chain, ...other]);
    }
    // Going up costs the parent, at least as large as any sibling, unless the parent is hidden already.
    if (options.length && !columns.every((c) => hidden.has(cellId(parent, c)))) return options;
    chain = [...chain, [parent, 1]];
    node = parent;
  }
}

/** The node and a path from it to a leaf, every cell on it non-empty in these columns; the cheapest child first. */
function down(
  table: Table,
  node: string,
  sign: number,
  columns: string[],
  hidden: ReadonlySet<string>,
): Signed | undefined {
  const path: Signed = [[node, sign]];
  for (let at = node; (table.children.get(at) ?? []).length;) {
    let best: { child: string; cost: number } | undefined;
    for (const child of table.children.get(at)!) {
      let cost = 0;
      for (const c of columns) {
        const size = table.size(child, c);
        if (size <= 0 || (!hidden.has(cellId(child, c)) && !table.canHide(child, c))) cost = Infinity;
        else if (!hidden.has(cellId(child, c))) cost += size;
      }
      if (cost < Infinity && (!best || cost < best.cost || (cost === best.cost && child < best.child)))
        best = { child, cost };
    }
    if (!best) return undefined;
    path.push([best.child, sign]);
    at = best.child;
  }
  return path;
}
