// What the in-memory limiter store costs: `node --expose-gc dist/bench/limit-store-memory.js [count]
// [--max-mb=N]` signs up `count` (200,000) distinct users, as a botnet would (one IP, one username, one email
// address each), through the abuse limiter with signUp's rules and the destination links, into a store bounded
// at N MB (LIMIT_MEMORY_MAX_MB's default), then reports the process's RSS and V8 heap before and after (after
// full collections), the store's own byte estimate, what the bound did, and whether the first user's link is
// still known. `--per-call` instead times get, consume and reward on one rule, rate-limiter-flexible's memory
// limiter beside the store's. A measurement to read, not a test: nothing is asserted.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AbuseLimiter, type CountingLimiter, type LimitRule } from '../src/limits/abuse-limiter';
import { reachOf } from '../src/limits/code-reach';
import { destinationKey } from '../src/limits/destination';
import { DestinationLinks } from '../src/limits/destination-links';
import { DEFAULT_MEMORY_MAX_BYTES, type MemoryEvent, memoryLimiterStore } from '../src/limits/limiter-store';

const MB = 1024 * 1024;
const KEYS = { usernameCaseSensitive: false, ipv6PrefixBits: 64 };

/** signUp's rules (sign-up/call.ts and pipeline.ts), the send budgets raised so that no sign-up is refused. */
const SIGN_UP_RULES: LimitRule[] = [
  { name: 'signup:ip-hour', subject: 'ip', points: 10, durationSeconds: 3_600 },
  {
    name: 'destination-hour',
    subject: 'destination',
    points: 5,
    durationSeconds: 3_600,
    counts: 'codes-sent',
  },
  ...(['sms-country', 'sms', 'email'] as const).map(
    (subject): LimitRule => ({
      name: `${subject}-hour`,
      subject,
      points: 1_000_000,
      durationSeconds: 3_600,
      counts: 'codes-sent',
    }),
  ),
];

const gc = (globalThis as { gc?: () => void }).gc;

function settle(): { rssMb: number; heapMb: number } {
  for (let i = 0; i < 4; i++) gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / MB, heapMb: heapUsed / MB };
}

function ipOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

async function signUps(count: number, maxBytes: number): Promise<void> {
  const events = new Map<MemoryEvent, number>();
  const store = memoryLimiterStore({
    maxBytes,
    onEvent: (event) => events.set(event, (events.get(event) ?? 0) + 1),
  });
  const limiter = new AbuseLimiter(SIGN_UP_RULES, store, KEYS);
  const links = new DestinationLinks(store.links, {
    usernameCaseSensitive: false,
    retentionSeconds: 365 * 86_400,
  });
  let refused = 0;
  const signUp = async (i: number) => {
    const username = `user.${i}`;
    const destinations = [destinationKey(`user.${i}@example.com`) ?? ''];
    // Past the bound, once no link is left to evict, a sign-up whose counters have no room is refused.
    const ticket = await limiter
      .consume({ username, ip: ipOf(i), reach: reachOf(destinations) })
      .catch(() => undefined);
    if (ticket === undefined) {
      refused += 1;
      return;
    }
    await ticket.settle('ok', 'EMAIL');
    await links.remember({ identifiers: [username], sub: `sub-${i}`, destinations, phoneNumbers: [] });
  };
  // Loads and warms everything a sign-up touches, so that "before" is the store's baseline.
  for (let i = 0; i < 1_000; i++) await signUp(count + i);
  const before = settle();
  const started = performance.now();
  for (let i = 0; i < count; i++) await signUp(i);
  const seconds = (performance.now() - started) / 1000;
  const after = settle();
  const first = await links.recall('user.0');
  const use = store.memoryUse();
  const perEntry = (mb: number) => ((mb * MB) / count).toFixed(0);
  console.log(
    `sign-ups: ${count} in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)}/s), ${refused} refused`,
  );
  console.log(
    `RSS: ${before.rssMb.toFixed(0)} -> ${after.rssMb.toFixed(0)} MB (+${(after.rssMb - before.rssMb).toFixed(0)} MB, ${perEntry(after.rssMb - before.rssMb)} B a sign-up)`,
  );
  console.log(
    `heap used: ${before.heapMb.toFixed(0)} -> ${after.heapMb.toFixed(0)} MB (+${(after.heapMb - before.heapMb).toFixed(0)} MB, ${perEntry(after.heapMb - before.heapMb)} B a sign-up)`,
  );
  console.log(
    `store's estimate: counters ${(use.counterBytes / MB).toFixed(1)} MB + links ${(use.linkBytes / MB).toFixed(1)} MB, bound ${(use.maxBytes / MB).toFixed(0)} MB`,
  );
  console.log(`at the bound: ${events.size === 0 ? 'nothing' : JSON.stringify(Object.fromEntries(events))}`);
  console.log(`first user's link: ${'linked' in first ? 'kept' : 'gone'}`);
  await store.close();
}

async function timed(name: string, limiter: CountingLimiter, keys: readonly string[]): Promise<void> {
  const round = async () => {
    const started = performance.now();
    for (const key of keys) {
      await limiter.get(key);
      await limiter.consume(key);
      await limiter.reward(key);
    }
    return ((performance.now() - started) * 1e6) / keys.length;
  };
  await round();
  const rounds = [await round(), await round(), await round()].sort((a, b) => a - b);
  console.log(`${name}: ${(rounds[1] ?? 0).toFixed(0)} ns for get + consume + reward (median of 3 rounds)`);
}

async function perCall(count: number): Promise<void> {
  const rule: LimitRule = { name: 'per-call', subject: 'ip', points: 5, durationSeconds: 3_600 };
  const keys = Array.from({ length: count }, (_, i) => ipOf(i));
  await timed(
    'rate-limiter-flexible RateLimiterMemory',
    new RateLimiterMemory({ points: rule.points, duration: rule.durationSeconds }),
    keys,
  );
  const store = memoryLimiterStore();
  await timed('memory store', store.createLimiter(rule), keys);
  await store.close();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
  const maxMb = args.find((a) => a.startsWith('--max-mb='))?.slice('--max-mb='.length);
  const maxBytes = maxMb === undefined ? DEFAULT_MEMORY_MAX_BYTES : Number(maxMb) * MB;
  if (!gc) console.log('(run with node --expose-gc for collected heap figures)');
  if (args.includes('--per-call')) await perCall(count);
  else await signUps(count, maxBytes);
}

void main();
