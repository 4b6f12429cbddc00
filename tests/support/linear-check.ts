// The attacker's spreadsheet: every published total is an equation over the cells it adds up; the hidden cells are the
// unknowns. A hidden cell can be solved for exactly when its unit vector lies in the row space of those equations.

export interface SumEquation {
  total: string;
  parts: string[];
}

/** The hidden cells that the equations pin down, given that every cell not hidden is known. */
export function solvable(equations: SumEquation[], hidden: ReadonlySet<string>): string[] {
  const unknowns = [...hidden].sort();
  const index = new Map(unknowns.map((id, i) => [id, i]));
  const rows: Map<number, number>[] = [];
  for (const { total, parts } of equations) {
    const row = new Map<number, number>();
    const add = (id: string, coefficient: number) => {
      const i = index.get(id);
      if (i !== undefined) row.set(i, (row.get(i) ?? 0) + coefficient);
    };
    add(total, 1);
    for (const part of parts) add(part, -1);
    for (const [i, v] of row) if (v === 0) row.delete(i);
    if (row.size) rows.push(row);
  }
  // Gauss-Jordan elimination on sparse rows (small integers; exact enough in floating point at these sizes).
  const pivots = new Map<number, Map<number, number>>();
  for (const original of rows) {
    const row = new Map(original);
    for (const [column, pivotRow] of pivots) {
      const factor = row.get(column);
      if (factor) eliminate(row, pivotRow, factor);
    }
    const column = [...row.keys()].sort((a, b) => a - b)[0];
    if (column === undefined) continue;
    const scale = row.get(column)!;
    for (const [i, v] of row) row.set(i, v / scale);
    for (const other of pivots.values()) {
      const factor = other.get(column);
      if (factor) eliminate(other, row, factor);
    }
    pivots.set(column, row);
  }
  return [...pivots].filter(([, row]) => row.size === 1).map(([column]) => unknowns[column]);
}

function eliminate(row: Map<number, number>, by: Map<number, number>, factor: number): void {
  for (const [i, v] of by) {
    const next = (row.get(i) ?? 0) - factor * v;
    if (Math.abs(next) < 1e-9) row.delete(i);
    else row.set(i, next);
  }
}
