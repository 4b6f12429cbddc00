// A small seeded PRNG and the distributions the simulator draws from: the same seed gives the same schools and
// registers.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of strings and numbers, for seeding one stream per school, date and cycle. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Picks a key with probability proportional to its weight. */
export function weighted<K extends string>(rng: Rng, weights: readonly (readonly [K, number])[]): K {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [key, w] of weights) if ((r -= w) < 0) return key;
  return weights[weights.length - 1][0];
}

/** Rounds up or down at random so that totals stay proportional at any scale. */
export function stochasticRound(rng: Rng, value: number): number {
  const floor = Math.floor(value);
  return floor + (rng() < value - floor ? 1 : 0);
}
