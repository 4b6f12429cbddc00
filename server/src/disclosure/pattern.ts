// Which cells of a question (a period, its frame and a breakdown) are hidden from viewers without pupil-level rights:
// worked out once over every area of England at once, so every answer to the question shows the same pattern
// whichever route, level or rows ask (docs/measures.md#suppression).
import type { EnrolmentCounts } from '../rollup/measures.repository.js';
import { Logger } from '@nestjs/common';
import { cellId, MIN_PUPILS, MIN_SCHOOLS, protect, Unprotectable, type Box, type Table } from './protection.js';

export type AreaLevel = 'national' | 'regional' | 'la';

/** Enrolment counts of one cell of an answer. */
export type CellCounts = Pick<EnrolmentCounts, 'geo' | 'bucket' | 'phase' | 'cohort' | 'num_schools' | 'enrolments'>;

export interface Geography {
  regions: readonly string[];
  /** LA code -> region code, every LA of England. */
  regionOf: ReadonlyMap<string, string>;
}

export interface AreaPattern {
  /** Hidden cells, by areaKey. */
  hidden: Set<string>;
  /** Boxes by bucket (a breakdown's pattern carries those of its totals that move a Total cell). */
  boxes: Map<string, Box[]>;
  /** The boxes holding a cell of under MIN_PUPILS, by bucket: the school pattern carries them down to schools. */
  smallBoxes: Map<string, Box[]>;
  /** Cells of fewer than MIN_PUPILS enrolments, by areaKey: a breakdown's such rows are left out, not shown as c. */
  small: Set<string>;
}

const PHASE_LEAVES = ['Primary', 'Secondary', 'Special'];
const LOGGER = new Logger('Disclosure');
/** Buckets' patterns by their cells, most recently used last: a year of days is worked out once, then only today. */
const MEMO = new Map<string, BucketPattern>();
const MEMO_SIZE = 5_000;
const ROW: Record<AreaLevel, (geo: string) => string> = {
  national: () => 'N',
  regional: (geo) => `R:${geo}`,
  la: (geo) => `L:${geo}`,
};

/** A cell of an area answer, as the pattern names it. */
export function areaKey(level: AreaLevel, geo: string, bucket: string, phase: string, cohort: string): string {
  return `${ROW[level](geo)}|${bucket}|${phase}|${cohort}`;
}

const PHASES_OF_TOTAL = new Set(PHASE_LEAVES);

/** Rows as read (their phases as stored) made the cells of a table: phases outside Total are Other, Total added up. */
export function withTotals(rows: readonly CellCounts[]): CellCounts[] {
  const cells = new Map<string, CellCounts>();
  const add = (r: CellCounts, phase: string) => {
    const k = `${r.geo}|${r.bucket}|${phase}|${r.cohort}`;
    const c = cells.get(k) ?? { geo: r.geo, bucket: r.bucket, phase, cohort: r.cohort, num_schools: 0, enrolments: 0 };
    c.num_schools += r.num_schools;
    c.enrolments += r.enrolments;
    cells.set(k, c);
  };
  for (const r of rows) {
    const phase = PHASES_OF_TOTAL.has(r.phase) ? r.phase : 'Other';
    add(r, phase);
    if (phase !== 'Other') add(r, 'Total');
  }
  return [...cells.values()];
}

export const isSensitive = (c: Pick<CellCounts, 'num_schools' | 'enrolments'>) =>
  c.enrolments > 0 && (c.enrolments < MIN_PUPILS || c.num_schools < MIN_SCHOOLS);

/**
 * The pattern of a question without a breakdown (`totals` undefined): rows England, regions and LAs, columns Total and
 * its phases (Other apart). With a breakdown, the Total phase only, columns its cohorts: a row whose total (the same
 * row without a breakdown, `totals`) is hidden has all its cohorts hidden, and each sensitive cohort gets a box.
 */
export function areaPattern(
  counts: Record<AreaLevel, CellCounts[]>,
  geography: Geography,
  cohorts?: readonly string[],
  totals?: AreaPattern,
): AreaPattern {
  const byBucket = new Map<string, [AreaLevel, CellCounts][]>();
  for (const level of ['national', 'regional', 'la'] as const) {
    for (const c of counts[level]) {
      if (!byBucket.has(c.bucket)) byBucket.set(c.bucket, []);
      byBucket.get(c.bucket)!.push([level, c]);
    }
  }
  const { parent, children } = treeOf(geography);
  const pattern: AreaPattern = { hidden: new Set(), boxes: new Map(), smallBoxes: new Map(), small: new Set() };
  for (const [bucket, rows] of byBucket) {
    // A bucket's pattern follows from its cells (and its totals' pattern) alone: the same cells, the same pattern
    // (its keys name the bucket, so the bucket is part of the key).
    const totalBoxes = (totals?.boxes.get(bucket) ?? []).map((b) => [[...b.rows], [...b.columns]]);
    const totalsHidden = totals
      ? rows.map(([level, c]) => areaKey(level, c.geo, bucket, 'Total', '')).filter((k) => totals.hidden.has(k))
      : [];
    const cells = rows
      .map(([level, c]) => `${ROW[level](c.geo)}|${c.phase}|${c.cohort}:${c.num_schools}:${c.enrolments}`)
      .sort();
    const key = JSON.stringify([bucket, cohorts ?? [], cells, totalsHidden.sort(), totalBoxes]);
    let known = MEMO.get(key);
    if (known) MEMO.delete(key);
    else {
      known = bucketPattern(rows, bucket, parent, children, cohorts, totals);
      if (MEMO.size >= MEMO_SIZE) MEMO.delete(MEMO.keys().next().value!);
    }
    MEMO.set(key, known);
    pattern.boxes.set(bucket, known.boxes);
    pattern.smallBoxes.set(bucket, known.smallBoxes);
    for (const k of known.hidden) pattern.hidden.add(k);
    for (const k of known.small) pattern.small.add(k);
  }
  return pattern;
}

function treeOf(geography: Geography): Pick<Table, 'parent' | 'children'> {
  const parent = new Map<string, string | undefined>([['N', undefined]]);
  const children = new Map<string, string[]>([['N', geography.regions.map((r) => `R:${r}`)]]);
  for (const region of geography.regions) {
    parent.set(`R:${region}`, 'N');
    children.set(`R:${region}`, []);
  }
  for (const [la, region] of geography.regionOf) {
    parent.set(`L:${la}`, `R:${region}`);
    children.get(`R:${region}`)?.push(`L:${la}`);
  }
  return { parent, children };
}

interface BucketPattern {
  boxes: Box[];
  smallBoxes: Box[];
  hidden: string[];
  small: string[];
}

function bucketPattern(
  rows: [AreaLevel, CellCounts][],
  bucket: string,
  parent: Table['parent'],
  children: Table['children'],
  cohorts?: readonly string[],
  totals?: AreaPattern,
): BucketPattern {
  const byRow = new Map<string, Map<string, number>>();
  const inTable = new Set<string>();
  const sensitive: [string, string][] = [];
  const small: string[] = [];
  for (const level of ['national', 'regional', 'la'] as const) {
    for (const c of withTotals(rows.filter(([l]) => l === level).map(([, c]) => c))) {
      if (cohorts && c.phase !== 'Total') continue;
      const row = ROW[level](c.geo);
      const column = cohorts ? c.cohort : c.phase;
      if (!byRow.has(row)) byRow.set(row, new Map());
      byRow.get(row)!.set(column, c.enrolments);
      if (c.enrolments > 0 && c.enrolments < MIN_PUPILS) small.push(areaKey(level, c.geo, bucket, c.phase, c.cohort));
      if (totals?.hidden.has(`${row}|${bucket}|Total|`)) inTable.add(cellId(row, column));
      if (isSensitive(c)) sensitive.push([row, column]);
    }
  }
  const table: Table = {
    parent,
    children,
    rootColumn: cohorts ? undefined : 'Total',
    leaves: cohorts ?? PHASE_LEAVES,
    isolated: cohorts ? [] : ['Other'],
    size: (row, column) => byRow.get(row)?.get(column) ?? 0,
    canHide: () => true,
  };
  let boxes: Box[] = [];
  try {
    boxes = protect(
      table,
      sensitive,
      inTable,
      cohorts && carried(totals!.boxes.get(bucket) ?? [], cohorts, table, inTable),
    );
  } catch (error) {
    if (!(error instanceof Unprotectable)) throw error;
    // Hiding more is always safe: the whole bucket, none of whose cells can then be solved for.
    LOGGER.warn(`${error.message} in bucket '${bucket}': every cell of it hidden`);
    for (const [row, columns] of byRow)
      for (const [column, size] of columns) if (size > 0) inTable.add(cellId(row, column));
  }
  const hidden = [...inTable].map((id) => {
    const [row, column] = id.split('|');
    return cohorts ? `${row}|${bucket}|Total|${column}` : `${row}|${bucket}|${column}|`;
  });
  const holdsSmall = (box: Box) =>
    [...box.rows.keys()].some((r) => [...box.columns.keys()].some((c) => table.size(r, c) < MIN_PUPILS));
  return { boxes, smallBoxes: boxes.filter(holdsSmall), hidden, small };
}

/**
 * A box of the totals' pattern that moves a Total cell must move the cohorts of its rows too (a row's cohorts add up
 * to its total). In a cohort that none of its rows lacks, by the same signs: that covers those cells. Where the two
 * sides of the box have no cohort in common, each side moves in a cohort of its own (c, d) and the difference is
 * taken up above them (balance), the cheapest such choice.
 */
function carried(boxes: Box[], cohorts: readonly string[], table: Table, hidden: Set<string>): Set<string> {
  const covered = new Set<string>();
  const cover = (row: string, cohort: string) => {
    covered.add(cellId(row, cohort));
    hidden.add(cellId(row, cohort));
  };
  for (const box of boxes.filter((b) => b.columns.has('Total'))) {
    const rows = [...box.rows.keys()];
    const common = cohorts.filter((c) => rows.every((r) => table.size(r, c) > 0));
    for (const c of common) for (const r of rows) cover(r, c);
    if (common.length) continue;
    const tops = rows.filter((r) => !box.rows.has(table.parent.get(r) ?? ''));
    const parent = table.parent.get(tops[0]);
    if (tops.length !== 2 || parent === undefined)
      throw new Unprotectable(`A box of ${rows.join(', ')} has no cohort in common`);
    const sides = tops.map((top) => rows.filter((r) => r === top || ancestors(table, r).includes(top)));
    const leafOf = (side: string[]) => side.find((r) => !side.some((o) => table.parent.get(o) === r))!;
    const costOf = (cells: [string, string][]) =>
      cells.reduce((sum, [r, k]) => sum + (hidden.has(cellId(r, k)) ? 0 : table.size(r, k)), 0);
    let best: { cells: [string, string][]; cost: number } | undefined;
    for (const c of cohorts.filter((c) => table.size(leafOf(sides[0]), c) > 0)) {
      for (const d of cohorts.filter((d) => table.size(leafOf(sides[1]), d) > 0)) {
        const cells: [string, string][] = [
          ...sides[0].map((r) => [r, c] as [string, string]),
          ...sides[1].map((r) => [r, d] as [string, string]),
        ];
        cells.push(...balance(table, parent, tops, c, d));
        const cost = costOf(cells);
        if (!best || cost < best.cost) best = { cells, cost };
      }
    }
    if (!best) throw new Unprotectable(`A box of ${rows.join(', ')} has no cohorts to carry it`);
    for (const [r, k] of best.cells) cover(r, k);
  }
  return covered;
}

/**
 * The cells that take up +c -d at `parent`: a third child of it (not one of `tops`) carried down to a leaf, moving
 * -c +d; where it has none, the parent itself moves (+c -d) and the same is asked of its parent; at the root nothing
 * is published above, so the moves stop there.
 */
function balance(table: Table, parent: string, tops: string[], c: string, d: string): [string, string][] {
  const both = (r: string) => table.size(r, c) > 0 && table.size(r, d) > 0;
  for (const third of table.children.get(parent) ?? []) {
    if (tops.includes(third) || !both(third)) continue;
    const path = [third];
    for (let at = third, next: string | undefined; (table.children.get(at) ?? []).length; at = next) {
      next = table.children.get(at)!.find(both);
      if (!next) break;
      path.push(next);
    }
    if (!(table.children.get(path.at(-1)!) ?? []).length)
      return path.flatMap(
        (r) =>
          [
            [r, c],
            [r, d],
          ] as [string, string][],
      );
  }
  const up = table.parent.get(parent);
  const own: [string, string][] = [
    [parent, c],
    [parent, d],
  ];
  return up === undefined ? own : [...own, ...balance(table, up, [parent], c, d)];
}

function ancestors(table: Table, row: string): string[] {
  const out = [];
  for (let at = table.parent.get(row); at !== undefined; at = table.parent.get(at)) out.push(at);
  return out;
}

/** One school's enrolments in a bucket (its own phase; its Total row is the same cell). */
export interface SchoolCounts {
  urn: number;
  laCode: string;
  bucket: string;
  phase: string;
  enrolments: number;
}

/**
 * The school cells hidden from DfE and Ofsted (who see every school, none at pupil level), given the area pattern:
 * a school of fewer than MIN_PUPILS is hidden with another of its LA and phase; and every area box that holds a cell
 * of fewer than MIN_PUPILS is carried down into the schools of its LAs (one hidden school for each of its phases), or
 * the LA's figure less its visible schools would undo the box. Returns `${urn}|${bucket}`.
 */
export function schoolPattern(schools: SchoolCounts[], area: AreaPattern): Set<string> {
  const hidden = new Set<string>();
  const byLa = new Map<string, SchoolCounts[]>();
  for (const s of schools) {
    if (s.enrolments <= 0) continue;
    const k = `${s.laCode}|${s.bucket}`;
    if (!byLa.has(k)) byLa.set(k, []);
    byLa.get(k)!.push(s);
  }
  const requests = new Map<string, Set<string>>();
  for (const [bucket, boxes] of area.smallBoxes) {
    for (const box of boxes) {
      for (const row of box.rows.keys()) {
        if (!row.startsWith('L:')) continue;
        const k = `${row.slice(2)}|${bucket}`;
        if (!requests.has(k)) requests.set(k, new Set());
        for (const column of box.columns.keys()) if (column !== 'Total') requests.get(k)!.add(column);
      }
    }
  }
  const id = (s: SchoolCounts) => `${s.urn}|${s.bucket}`;
  const bySize = (a: SchoolCounts, b: SchoolCounts) => a.enrolments - b.enrolments || a.urn - b.urn;
  const hideOneMore = (candidates: SchoolCounts[]) => {
    const next = candidates.filter((s) => !hidden.has(id(s))).sort(bySize)[0];
    if (next) hidden.add(id(next));
  };
  for (const [k, list] of byLa) {
    for (const s of list) if (s.enrolments < MIN_PUPILS) hidden.add(id(s));
    for (const phase of requests.get(k) ?? []) {
      const ofPhase = list.filter((s) => s.phase === phase);
      if (!ofPhase.some((s) => hidden.has(id(s)))) hideOneMore(ofPhase);
    }
    for (const s of list.filter((s) => s.enrolments < MIN_PUPILS).sort(bySize)) {
      const siblings = list.filter((o) => o.phase === s.phase && o.urn !== s.urn);
      // Alone in its LA and phase, the school is its LA's cell, which is in a box carried down to it (above).
      if (siblings.length && !siblings.some((o) => hidden.has(id(o)))) hideOneMore(siblings);
    }
  }
  return hidden;
}
