// Whether Redis is in use, and the one place that logs its outages and recoveries. A failing Redis is left
// alone for RETRY_AFTER_MS instead of costing every request a timeout; the outage is logged once, and so is
// the recovery.
import type { Logger } from '../../logger';
import type { Clock } from './contract';

/** How long a failing Redis is left alone before it is tried again. */
export const RETRY_AFTER_MS = 5_000;

export class RedisHealth {
  private connected = false;
  private skipUntil = 0;
  private down = false;
  private closing = false;

  constructor(
    private readonly logger: Logger,
    /** Times the retry pause: the store's clock, so that a test moves both at once. */
    private readonly clock: Clock = Date.now,
  ) {}

  usable(): boolean {
    return this.connected && this.clock() >= this.skipUntil;
  }

  onConnected(): void {
    this.connected = true;
    this.skipUntil = 0;
  }

  onDisconnected(reason: string): void {
    this.connected = false;
    if (!this.closing) this.markDown(reason);
  }

  /** The gateway is stopping: the disconnect that follows is not an outage. */
  onClosing(): void {
    this.closing = true;
  }

  /** A command failed or timed out although the connection looked fine (a hung or overloaded Redis). */
  onFailure(error: unknown): void {
    this.skipUntil = this.clock() + RETRY_AFTER_MS;
    this.markDown(errorText(error));
  }

  onSuccess(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.warn({ store: 'redis' }, 'redis is back: abuse limits are shared again');
  }

  private markDown(reason: string): void {
    if (this.down) return;
    this.down = true;
    this.logger.error(
      { store: 'redis', reason },
      "redis unreachable: abuse limits fall back to this instance's memory until it returns",
    );
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
