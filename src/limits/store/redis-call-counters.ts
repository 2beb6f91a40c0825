// A call's counters in Redis, one script a call (EVALSHA, EVAL when Redis lost the script: ioredis's
// defineCommand), instead of one command per rule: the look and the count of every rule of a call are one
// round trip, and so is its settle. Keys and values are what rate-limiter-flexible's Redis limiter writes
// (and the per-rule limiters still write): `<prefix>:<rule name>:<key>` holding the count as an integer, its
// window as the key's expiry, so counters of either kind are one counter. In cluster mode every key of a
// call must live in one hash slot: the prefix carries the hash tag (redis-store.ts).
//
// Every counter is read as the larger of Redis's count and this instance's shadow's (passed in with the
// keys): where the shadow's is larger, Redis came back without it, and the script heals it with the shadow's
// count and window as it takes the point. Errors and timeouts reach the caller as they are: the fail-over
// (failover-call-counters.ts) decides what they mean.
import type { Redis } from 'ioredis';
import type { ConsumeAllResult, CounterRef } from '../abuse-limiter';
import type { ShadowedRef, SharedCallCounters } from './contract';
import { RateLimiterRes } from './limiter-result';

/**
 * Takes a point from KEYS[i] whose window lasts ARGV[a + 1] seconds, over the count the look found: a count
 * the shadow knew higher is set with the shadow's window (healed), else the point is added as
 * rate-limiter-flexible adds it (SET NX with the window's expiry, INCRBY, PTTL). Appends the count and ms left.
 */
const TAKE = `
local function take(key, seconds, healTo, healMs, out)
  local count, ttl
  if healTo ~= nil then
    count = healTo + 1
    ttl = math.max(1, healMs)
    redis.call('set', key, count, 'PX', ttl)
  else
    redis.call('set', key, 0, 'EX', seconds, 'NX')
    count = redis.call('incrby', key, 1)
    ttl = redis.call('pttl', key)
    if ttl == -1 then
      redis.call('expire', key, seconds)
      ttl = 1000 * tonumber(seconds)
    end
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
`;

/** KEYS: the counters. Answers each one's count and ms left (-1 and -2 where the key holds nothing). */
const PEEK_ALL = `
local out = {}
for _, key in ipairs(KEYS) do
  local count = redis.call('get', key)
  out[#out + 1] = count and tonumber(count) or -1
  out[#out + 1] = redis.call('pttl', key)
end
return out
`;

/**
 * KEYS: the call's counters. ARGV, 4 a key: the rule's points, its window in seconds, the shadow's count and
 * its ms left (0 and 0 when the shadow holds nothing). Reads every counter as the larger of the two; when any
 * is spent (a counter named twice needs two points) answers 0 and the counts read, writing nothing; else takes
 * a point from each and answers 1 and the counts after. Counts and ms left, two a key.
 */
const CONSUME_ALL = `${TAKE}
local counts, ttls, heal, earlier = {}, {}, {}, {}
local out = { 0 }
local spent = false
for i, key in ipairs(KEYS) do
  local a = (i - 1) * 4
  local before = earlier[key]
  if before == nil then
    before = 0
    local count = tonumber(redis.call('get', key) or 0)
    local ttl = redis.call('pttl', key)
    local shadow = tonumber(ARGV[a + 3])
    if shadow > count then
      count = shadow
      ttl = tonumber(ARGV[a + 4])
      heal[key] = true
    end
    counts[key] = count
    ttls[key] = ttl
  end
  earlier[key] = before + 1
  if counts[key] + before >= tonumber(ARGV[a + 1]) then spent = true end
  out[#out + 1] = counts[key] + before
  out[#out + 1] = ttls[key]
end
if spent then return out end
out = { 1 }
for i, key in ipairs(KEYS) do
  local a = (i - 1) * 4
  if heal[key] then
    heal[key] = nil
    take(key, ARGV[a + 2], counts[key], ttls[key], out)
  else
    take(key, ARGV[a + 2], nil, 0, out)
  end
end
return out
`;

/**
 * KEYS: the counters to give a point back to (the first ARGV[1] of them), then the counters to charge. ARGV
 * after the first, 3 a charged key: its window in seconds, the shadow's count and ms left. A point goes back
 * only into a live window and never below zero (a key brought below zero is deleted, as the per-rule
 * fail-over does); a charged counter takes a point whatever its count. Answers the charged counts and ms left.
 */
const SETTLE_ALL = `${TAKE}
local given = tonumber(ARGV[1])
for i = 1, given do
  local key = KEYS[i]
  if redis.call('exists', key) == 1 and redis.call('incrby', key, -1) < 0 then redis.call('del', key) end
end
local out = {}
for i = given + 1, #KEYS do
  local key = KEYS[i]
  local a = 1 + (i - given - 1) * 3
  local count = tonumber(redis.call('get', key) or 0)
  local shadow = tonumber(ARGV[a + 2])
  if shadow > count then
    take(key, ARGV[a + 1], shadow, tonumber(ARGV[a + 3]), out)
  else
    take(key, ARGV[a + 1], nil, 0, out)
  end
end
return out
`;

type Script = (...args: Array<string | number>) => Promise<number[]>;

/** The part of an ioredis client (one node, or a cluster) that the counters use. */
export type ScriptingClient = Pick<Redis, 'defineCommand'>;

export class RedisCallCounters implements SharedCallCounters {
  private readonly peekAll: Script;
  private readonly consumeAllScript: Script;
  private readonly settleAllScript: Script;

  constructor(
    client: ScriptingClient,
    /** Put before every key in Redis: the gateway's keys apart from anyone else's, and in one hash slot. */
    private readonly keyPrefix: string,
  ) {
    // Without numberOfKeys, the first argument of each call says how many keys follow.
    client.defineCommand('gatewayPeekAll', { lua: PEEK_ALL });
    client.defineCommand('gatewayConsumeAll', { lua: CONSUME_ALL });
    client.defineCommand('gatewaySettleAll', { lua: SETTLE_ALL });
    const scripts = client as unknown as Record<string, Script>;
    this.peekAll = bound(scripts, 'gatewayPeekAll');
    this.consumeAllScript = bound(scripts, 'gatewayConsumeAll');
    this.settleAllScript = bound(scripts, 'gatewaySettleAll');
  }

  async getAll(refs: readonly CounterRef[]): Promise<Array<RateLimiterRes | null>> {
    if (refs.length === 0) return [];
    const answer = await this.peekAll(refs.length, ...refs.map((r) => this.keyOf(r)));
    return refs.map((r, i) => {
      const count = answer[2 * i] as number;
      return count < 0 ? null : result(r, count, answer[2 * i + 1] as number);
    });
  }

  async consumeAll(refs: readonly ShadowedRef[]): Promise<ConsumeAllResult> {
    if (refs.length === 0) return { taken: [] };
    const args = refs.flatMap((r) => [
      r.rule.points,
      r.rule.durationSeconds,
      r.shadow?.consumedPoints ?? 0,
      Math.ceil(r.shadow?.msBeforeNext ?? 0),
    ]);
    const answer = await this.consumeAllScript(refs.length, ...refs.map((r) => this.keyOf(r)), ...args);
    const counts = refs.map((r, i) => result(r, answer[1 + 2 * i] as number, answer[2 + 2 * i] as number));
    if (answer[0] === 1) return { taken: counts };
    return {
      spent: counts.flatMap((res, index) =>
        res.consumedPoints >= (refs[index] as CounterRef).rule.points ? [{ index, res }] : [],
      ),
      read: counts.map((res) => (res.msBeforeNext > 0 ? res : null)),
    };
  }

  async settleAll(
    giveBack: readonly CounterRef[],
    charge: readonly ShadowedRef[],
  ): Promise<RateLimiterRes[]> {
    if (giveBack.length + charge.length === 0) return [];
    const keys = [...giveBack, ...charge].map((r) => this.keyOf(r));
    const args = charge.flatMap((r) => [
      r.rule.durationSeconds,
      r.shadow?.consumedPoints ?? 0,
      Math.ceil(r.shadow?.msBeforeNext ?? 0),
    ]);
    const answer = await this.settleAllScript(keys.length, ...keys, giveBack.length, ...args);
    return charge.map((r, i) => result(r, answer[2 * i] as number, answer[2 * i + 1] as number));
  }

  private keyOf(ref: CounterRef): string {
    return `${this.keyPrefix}:${ref.rule.name}:${ref.key}`;
  }
}

function bound(scripts: Record<string, Script>, name: string): Script {
  const script = scripts[name];
  if (typeof script !== 'function') throw new Error(`redis script ${name} was not defined`);
  return script.bind(scripts);
}

/** A count as rate-limiter-flexible's Redis limiter answers it. */
function result(ref: CounterRef, count: number, msLeft: number): RateLimiterRes {
  return new RateLimiterRes(Math.max(0, ref.rule.points - count), msLeft, count, count === 1);
}
