import { adjusted, fitAllowance, ownWeight, MIN_SCHOOLS } from './size-allowance.js';

describe('the allowance for size', () => {
  // National rate 10%. Four schools of 10 pupils (x = 1/10) at 0, 20, 8 and 12%: squared distances 100, 100, 4, 4,
  // mean 52; one of 100 pupils (x = 1/100) at 14%: 16. With two sizes the least-squares line runs through the two
  // means: chance (slope) = (52 - 16) / (0.1 - 0.01) = 400; between (intercept) = 16 - 400 x 0.01 = 12. k = 400 / 12
  // = 33.33 pupils.
  const schools = [
    { rate: 0, pupils: 10 },
    { rate: 20, pupils: 10 },
    { rate: 8, pupils: 10 },
    { rate: 12, pupils: 10 },
    { rate: 14, pupils: 100 },
  ];

  it('is fitted from how much more small schools scatter than large ones', () => {
    const allowance = fitAllowance(schools, 10);
    expect(allowance.chance).toBeCloseTo(400, 9);
    expect(allowance.between).toBeCloseTo(12, 9);
    expect(allowance.pupils).toBeCloseTo(100 / 3, 9);
    expect(allowance.schools).toBe(5);
  });

  it('takes a small school mostly at the national rate and a large one mostly at its own', () => {
    const allowance = fitAllowance(schools, 10);
    // 10 pupils at 20%: weight 10 / 43.33 = 0.2308: 10 + 0.2308 x 10 = 12.31%.
    expect(ownWeight(10, allowance)).toBeCloseTo(0.23077, 5);
    expect(adjusted({ rate: 20, pupils: 10 }, allowance)).toBeCloseTo(12.3077, 4);
    // 100 pupils at 14%: weight 100 / 133.33 = 0.75: 10 + 0.75 x 4 = 13%. Raw 20 > 14; adjusted 12.31 < 13.
    expect(adjusted({ rate: 14, pupils: 100 }, allowance)).toBeCloseTo(13, 9);
  });

  it('leaves rates as they are with too few schools, one size only, or no sign that size matters', () => {
    expect(fitAllowance(schools.slice(0, MIN_SCHOOLS - 1), 10).pupils).toBe(0);
    expect(
      fitAllowance(
        schools.map((s) => ({ ...s, pupils: 50 })),
        10,
      ).pupils,
    ).toBe(0);
    // The large school furthest out: the slope is below 0.
    const fit = fitAllowance([...schools.slice(0, 4), { rate: 40, pupils: 100 }], 10);
    expect(fit.chance).toBeLessThan(0);
    expect(fit.pupils).toBe(0);
    expect(adjusted({ rate: 20, pupils: 10 }, fit)).toBe(20);
  });

  it('takes every school at the national rate when all the scatter is chance', () => {
    // Large school at the national rate exactly: d = 0 at x = 0.01, 52 at 0.1: slope 577.8, intercept -5.78.
    const fit = fitAllowance([...schools.slice(0, 4), { rate: 10, pupils: 100 }], 10);
    expect(fit.between).toBeLessThan(0);
    expect(fit.pupils).toBeNull();
    expect(ownWeight(10, fit)).toBe(0);
    expect(adjusted({ rate: 20, pupils: 10 }, fit)).toBe(10);
  });
});
