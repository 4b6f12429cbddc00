import { describe, expect, it } from '@jest/globals';
import { secondarySuppression } from './suppression.js';

const sizes: Record<string, number> = { a: 4, b: 30, c: 12, d: 50, e: 8, f: 100 };
const size = (cell: string) => sizes[cell] ?? 0;

describe('secondary suppression', () => {
  it('hides the smallest visible cell beside a lone hidden one, so the total minus the rest cannot reveal it', () => {
    expect([...secondarySuppression(new Set(['a']), [{ cells: ['a', 'b', 'c', 'd'] }], size)].sort()).toEqual(['a', 'c']);
  });

  it('leaves a group alone when none, or two or more, of its cells are hidden', () => {
    expect([...secondarySuppression(new Set(), [{ cells: ['a', 'b'] }], size)]).toEqual([]);
    expect([...secondarySuppression(new Set(['a', 'e']), [{ cells: ['a', 'b', 'e'] }], size)].sort()).toEqual(['a', 'e']);
  });

  it('hides the total in the same table when the hidden cell has no sibling to hide', () => {
    expect([...secondarySuppression(new Set(['a']), [{ cells: ['a'], total: 'f' }], size)].sort()).toEqual(['a', 'f']);
  });

  it('neither protects an empty hidden cell nor picks an empty cell as the partner', () => {
    const withEmpty = (cell: string) => (cell === 'z' ? 0 : size(cell));
    expect([...secondarySuppression(new Set(['a']), [{ cells: ['a', 'z', 'b'] }], withEmpty)].sort()).toEqual(['a', 'b']);
    expect([...secondarySuppression(new Set(['z']), [{ cells: ['a', 'z', 'b'] }], withEmpty)]).toEqual(['z']);
  });

  it('follows a hide from one group into another until every group is safe (a two-way table)', () => {
    // Rows r1 = a + b, r2 = c + d; columns k1 = a + c, k2 = b + d. Hiding a forces one more in its row and its column,
    // and those force the fourth: a table with one small cell hides all four.
    const groups = [{ cells: ['a', 'b'] }, { cells: ['c', 'd'] }, { cells: ['a', 'c'] }, { cells: ['b', 'd'] }];
    expect([...secondarySuppression(new Set(['a']), groups, size)].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('does not depend on the order of the cells', () => {
    const tied = () => 1;
    expect([...secondarySuppression(new Set(['x']), [{ cells: ['z', 'x', 'y'] }], tied)].sort()).toEqual(['x', 'y']);
    expect([...secondarySuppression(new Set(['x']), [{ cells: ['y', 'z', 'x'] }], tied)].sort()).toEqual(['x', 'y']);
  });
});
