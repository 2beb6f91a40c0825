// A small seedable random source, so a test that injects faults gets the same sequence on every run.
// Not for anything secret: Math.random cannot be seeded and node:crypto cannot be replayed.

// A source of numbers in [0, 1).
export type Random = () => number;

// mulberry32: a 32-bit state, one multiply-xorshift mix per draw. Ample quality for picking faults, and
// seeds that differ only by a multiple of 2^32 give the same stream (the seed is taken modulo 2^32).
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
