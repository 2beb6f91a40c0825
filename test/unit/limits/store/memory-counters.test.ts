// The memory store's counters: a fixed window per key that answers as rate-limiter-flexible's memory limiter
// did (the fail-over and the abuse limiter read consumedPoints, remainingPoints and msBeforeNext), expiring by
// an injected clock and one sweep for the whole store, never a timer per key.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LimitRule } from '../../../../src/limits/abuse-limiter';
import { MemoryStore } from '../../../../src/limits/store/memory-store';

const RULE: LimitRule = { name: 'r', subject: 'ip', points: 2, durationSeconds: 60 };

function fixture() {
  let now = 1_700_000_000_000;
  const memory = new MemoryStore({ clock: () => now, sweepEveryMs: 0 });
  return {
    memory,
    counters: memory.countersFor(RULE),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('memory counters', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts a fixed window per key and refuses past its points until the window ends', async () => {
    const { counters, advance } = fixture();
    expect(await counters.consume('a')).toMatchObject({
      consumedPoints: 1,
      remainingPoints: 1,
      msBeforeNext: 60_000,
      isFirstInDuration: true,
    });
    advance(20_000);
    expect(await counters.consume('a')).toMatchObject({
      consumedPoints: 2,
      remainingPoints: 0,
      msBeforeNext: 40_000,
    });
    await expect(counters.consume('a')).rejects.toMatchObject({
      consumedPoints: 3,
      remainingPoints: 0,
      msBeforeNext: 40_000,
    });
    expect(await counters.consume('b')).toMatchObject({ consumedPoints: 1 });
    advance(40_000);
    expect(await counters.get('a')).toBeNull();
    expect(await counters.consume('a')).toMatchObject({ consumedPoints: 1, msBeforeNext: 60_000 });
  });

  it('reads without counting, and a read creates nothing', async () => {
    const { memory, counters } = fixture();
    expect(await counters.get('a')).toBeNull();
    expect(memory.use().counterBytes).toBe(0);
    await counters.consume('a');
    expect(await counters.get('a')).toMatchObject({ consumedPoints: 1, remainingPoints: 1 });
    expect(await counters.get('a')).toMatchObject({ consumedPoints: 1 });
  });

  it('gives a point back never below zero, and forgets a counter given back to zero', async () => {
    const { memory, counters } = fixture();
    expect(await counters.reward('nothing')).toMatchObject({ consumedPoints: 0 });
    expect(memory.use().counterBytes).toBe(0);
    await counters.consume('a');
    await counters.consume('a');
    expect(await counters.reward('a')).toMatchObject({ consumedPoints: 1 });
    expect(await counters.reward('a')).toMatchObject({ consumedPoints: 0 });
    expect(await counters.get('a')).toBeNull();
    expect(memory.use().counterBytes).toBe(0);
  });

  it('gives nothing back once the window has ended', async () => {
    const { counters, advance } = fixture();
    await counters.consume('a');
    advance(60_000);
    expect(await counters.reward('a')).toMatchObject({ consumedPoints: 0 });
    await counters.consume('a');
    await counters.consume('a');
    await expect(counters.consume('a')).rejects.toMatchObject({ consumedPoints: 3 });
  });

  it("sets a key's count for a time (the fail-over's mirror), and keeps nothing without one", async () => {
    const { counters, advance } = fixture();
    await counters.set('a', 2, 30);
    expect(await counters.get('a')).toMatchObject({ consumedPoints: 2, msBeforeNext: 30_000 });
    await expect(counters.consume('a')).rejects.toMatchObject({ consumedPoints: 3 });
    advance(30_000);
    expect(await counters.get('a')).toBeNull();
    await counters.set('b', 2, 0);
    expect(await counters.get('b')).toBeNull();
    await counters.consume('c');
    expect(await counters.delete('c')).toBe(true);
    expect(await counters.delete('c')).toBe(false);
  });

  it('drops ended windows in one sweep of the store, by the clock, without a timer per key', async () => {
    vi.useFakeTimers();
    const { memory, counters, advance } = fixture();
    for (let i = 0; i < 100; i++) await counters.consume(`early.${i}`);
    advance(30_000);
    for (let i = 0; i < 100; i++) await counters.consume(`late.${i}`);
    expect(vi.getTimerCount()).toBe(0);
    const held = memory.use().counterBytes;
    advance(30_000);
    memory.sweep();
    expect(memory.use().counterBytes).toBe(held / 2);
    expect(await counters.get('late.0')).toMatchObject({ consumedPoints: 1, msBeforeNext: 30_000 });
    advance(30_000);
    memory.sweep();
    expect(memory.use().counterBytes).toBe(0);
  });

  it('runs one timer for the whole store, and stops it on close', () => {
    vi.useFakeTimers();
    const memory = new MemoryStore();
    memory.countersFor(RULE);
    memory.countersFor({ ...RULE, name: 'other' });
    expect(vi.getTimerCount()).toBe(1);
    memory.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
