// Cognito's temporary lockout after failed sign-in attempts, as the developer guide documents it
// ("Authentication", lockout behavior for failed sign-in attempts): five failures are free; the n-th failure
// after that locks the user out for 2^(n-5) seconds, up to about 15 minutes. An attempt during a lockout is
// answered "Password attempts exceeded" (NotAuthorizedException), even with the right password, and does not
// lengthen later lockouts. The count goes back to zero after a successful sign-in once the lockout is over, or
// after 15 minutes without any attempt. The MFA page adds that wrong MFA codes count the same way.
//
// The stand-in's readings: a wrong one-time password (passwordless or MFA) counts like a wrong password, the
// count is reset when sign-in completes (tokens are issued), and the 15 quiet minutes reset it before any
// lockout as well. The time is the injected clock's, so tests move past a lockout without waiting.
import { passwordAttemptsExceeded } from './errors';

export const FREE_FAILURES = 5;
export const MAX_LOCKOUT_MS = 15 * 60 * 1000;
export const QUIET_RESET_MS = 15 * 60 * 1000;
// Keys quiet long enough to be reset anyway are dropped once this many are kept (unknown names add keys).
const PRUNE_ABOVE = 10_000;

interface Failures {
  count: number;
  lockedUntil: number;
  lastAttemptAt: number;
}

/**
 * Failures by key: one per user, and with user-existence errors suppressed one per unknown name too, so an
 * unknown username locks out like a real one and the lockout tells nothing.
 */
export class SignInLockout {
  private readonly failures = new Map<string, Failures>();

  /** Refuses an attempt while `key` is locked out; any attempt also counts as activity. */
  check(key: string, now: Date): void {
    const at = now.getTime();
    const entry = this.failures.get(key);
    if (!entry) return;
    if (at - entry.lastAttemptAt >= QUIET_RESET_MS) {
      this.failures.delete(key);
      return;
    }
    entry.lastAttemptAt = at;
    if (at < entry.lockedUntil) throw passwordAttemptsExceeded();
  }

  recordFailure(key: string, now: Date): void {
    const at = now.getTime();
    if (this.failures.size >= PRUNE_ABOVE) {
      for (const [other, entry] of this.failures) {
        if (at - entry.lastAttemptAt >= QUIET_RESET_MS) this.failures.delete(other);
      }
    }
    const entry = this.failures.get(key) ?? { count: 0, lockedUntil: 0, lastAttemptAt: at };
    entry.count++;
    entry.lastAttemptAt = at;
    if (entry.count >= FREE_FAILURES) {
      entry.lockedUntil = at + Math.min(2 ** (entry.count - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
    }
    this.failures.set(key, entry);
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }
}
