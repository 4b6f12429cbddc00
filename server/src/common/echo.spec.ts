import { ECHO_LIMIT, excerpt, quoted } from './echo.js';

describe('quoted', () => {
  it('quotes short values whole', () => {
    expect(quoted('A1')).toBe('"A1"');
    expect(quoted('')).toBe('""');
    expect(quoted('x'.repeat(ECHO_LIMIT))).toBe(`"${'x'.repeat(ECHO_LIMIT)}"`);
  });

  it('cuts long values to the limit and an ellipsis', () => {
    expect(quoted('x'.repeat(40_000_000))).toBe(`"${'x'.repeat(ECHO_LIMIT)}…"`);
    expect(excerpt('abcdef', 3)).toBe('abc…');
  });

  it('never cuts a character in half', () => {
    const text = `${'x'.repeat(ECHO_LIMIT - 1)}😀😀`;
    expect(quoted(text)).toBe(`"${'x'.repeat(ECHO_LIMIT - 1)}…"`);
    expect(excerpt('😀😀😀', 4)).toBe('😀😀…');
  });
});
