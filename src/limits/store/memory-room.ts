// The byte bound of the memory store (LIMIT_MEMORY_MAX_MB), shared by its counters and its links, and what
// happens at it. Thinking like an attacker who can fill memory (a botnet signing up from many IPs):
//
// - Expired counters and links go first: they cost nothing to drop.
// - Then links, least recently refreshed first. A lost link makes its user "unknown": their codes are then
//   charged to the one small global budget for unknown destinations, so an attacker who evicts links buys a
//   denial of codes for the users behind them at worst, never a code that no budget counts.
// - A live counter is never dropped to make room: dropping it would reset a budget, so that whoever fills
//   memory gets fresh budgets (a new hour of codes to a victim's inbox, of SMS to a country). Instead a counter
//   the store has no room for is refused, as a spent limit (RATE_LIMITED, retry when the soonest window ends),
//   loudly: logged once per episode at `error`, counted in `gateway_limit_memory_full_total`. Counters already
//   held go on counting, so every budget in force stays in force. The bound then fails closed for new callers
//   until windows end (an hour at most for the default limits); a refused call creates no counter, so keeping
//   memory full takes a stream of admitted calls, each bounded by the per-IP caps and the send budgets.
// - The shadow of a Redis counter (set(), while Redis answers) is not kept when there is no room: Redis still
//   holds the count, and only a fail-over during that episode would lose it.
import type { Logger } from '../../logger';
import type { Clock, MemoryEvent, MemoryUse } from './contract';

/** The part of a table of counters that the room sweeps and asks when room will free up. */
export interface SweptCounters {
  /** Drops the windows that ended by `now` (those at the front, in window-end order). */
  sweep(now: number): void;
  /** When the first window still held ends (undefined when none is). */
  firstWindowEnd(): number | undefined;
}

/** The part of the links that the room sweeps and evicts. */
export interface EvictableLinks {
  sweep(now: number): void;
  /** Drops the least recently refreshed link; false when there is none. */
  evictOldest(): boolean;
}

export interface MemoryRoomOptions {
  maxBytes: number;
  clock: Clock;
  logger?: Logger;
  /** Told each time the bound evicts a link or refuses a counter (for the metric). */
  onEvent?: (event: MemoryEvent) => void;
}

const EVENT_MESSAGES: Record<MemoryEvent, string> = {
  'counter-refused': 'new limit counters are refused until windows end; raise it or set REDIS_URL',
  'counter-not-kept':
    'counters that Redis holds are not mirrored in memory: a Redis outage now would lose them',
  'link-evicted': 'dropping the least recently refreshed destination links',
  'link-not-kept': 'new destination links are not kept',
};

/** How long a refused counter is told to wait when no counter window is held (only links fill the room). */
const NO_WINDOW_RETRY_MS = 60_000;
/** Past the bound, the episode (and its log line) ends once a sweep brings use back under this share. */
const EPISODE_END_SHARE = 0.9;

export class MemoryRoom {
  private counterBytes = 0;
  private linkBytes = 0;
  private readonly counters: SweptCounters[] = [];
  private links: EvictableLinks | undefined;
  /** What this episode past the bound has logged already: each kind of event once. */
  private readonly logged = new Set<MemoryEvent>();

  constructor(private readonly options: MemoryRoomOptions) {}

  use(): MemoryUse {
    return { counterBytes: this.counterBytes, linkBytes: this.linkBytes, maxBytes: this.options.maxBytes };
  }

  addCounters(table: SweptCounters): void {
    this.counters.push(table);
  }

  setLinks(links: EvictableLinks): void {
    this.links = links;
  }

  /**
   * Takes `bytes` for a new counter, making room by dropping what expired, then links; false (logged, counted)
   * when the counters held fill the bound. `shadow`: the counter mirrors Redis, so not keeping it refuses nothing.
   */
  claimForCounter(bytes: number, shadow = false): boolean {
    if (!this.makeRoom(bytes)) {
      this.report(shadow ? 'counter-not-kept' : 'counter-refused');
      return false;
    }
    this.counterBytes += bytes;
    return true;
  }

  /** Takes `bytes` for a link (or more members of one), dropping what expired, then the oldest links. */
  claimForLink(bytes: number): boolean {
    if (!this.makeRoom(bytes)) {
      this.report('link-not-kept');
      return false;
    }
    this.linkBytes += bytes;
    return true;
  }

  releaseCounter(bytes: number): void {
    this.counterBytes -= bytes;
  }

  releaseLink(bytes: number): void {
    this.linkBytes -= bytes;
  }

  /** Drops every expired counter and link that is due (the periodic sweep); ends an episode once under. */
  sweep(): void {
    const now = this.options.clock();
    for (const table of this.counters) table.sweep(now);
    this.links?.sweep(now);
    if (this.logged.size > 0 && this.bytes() < this.options.maxBytes * EPISODE_END_SHARE) {
      this.logged.clear();
      this.options.logger?.warn(
        { store: 'memory', ...this.use() },
        'limit memory has room again: new counters and links are kept',
      );
    }
  }

  /** How long until the soonest counter window ends, when room frees up at the earliest (at least 1 s). */
  retryMs(): number {
    let soonest: number | undefined;
    for (const table of this.counters) {
      const end = table.firstWindowEnd();
      if (end !== undefined && (soonest === undefined || end < soonest)) soonest = end;
    }
    if (soonest === undefined) return NO_WINDOW_RETRY_MS;
    return Math.max(1_000, soonest - this.options.clock());
  }

  private bytes(): number {
    return this.counterBytes + this.linkBytes;
  }

  private fits(bytes: number): boolean {
    return this.bytes() + bytes <= this.options.maxBytes;
  }

  private makeRoom(bytes: number): boolean {
    if (this.fits(bytes)) return true;
    const now = this.options.clock();
    for (const table of this.counters) table.sweep(now);
    this.links?.sweep(now);
    while (!this.fits(bytes) && this.links?.evictOldest()) this.report('link-evicted');
    return this.fits(bytes);
  }

  /** Counts every event; logs each kind once per episode (`error` for a refusal, `warn` for the others). */
  private report(event: MemoryEvent): void {
    this.options.onEvent?.(event);
    if (this.logged.has(event)) return;
    this.logged.add(event);
    const fields = { store: 'memory', event, ...this.use() };
    const message = `limit memory full (LIMIT_MEMORY_MAX_MB): ${EVENT_MESSAGES[event]}`;
    if (event === 'counter-refused') this.options.logger?.error(fields, message);
    else this.options.logger?.warn(fields, message);
  }
}
