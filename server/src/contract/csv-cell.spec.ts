import { csvCell } from './csv-cell.js';

describe('csvCell', () => {
  it('quotes text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("https://evil.example","Click")')).toBe('\'=HYPERLINK("https://evil.example","Click")');
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvCell('@SUM(1+1)')).toBe("'@SUM(1+1)");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1+1')).toBe("'\r=1+1");
    expect(csvCell('-')).toBe("'-");
    expect(csvCell('-3.2 ')).toBe("'-3.2 ");
  });

  it('leaves numbers, plain numbers written as text, and other text as they are', () => {
    expect(csvCell(-3.2)).toBe(-3.2);
    expect(csvCell(0)).toBe(0);
    for (const text of ['-3.2', '+1.5', '-7', '-.5', '1e-3', '-2.5E+2']) expect(csvCell(text)).toBe(text);
    for (const text of ['Camden Primary', 'c', 'z', '', "O'Brien Academy", 'St Mary = St John', '3-4 Form Entry']) {
      expect(csvCell(text)).toBe(text);
    }
    expect(csvCell(null)).toBeNull();
    expect(csvCell(undefined)).toBeUndefined();
    expect(csvCell(true)).toBe(true);
  });
});
