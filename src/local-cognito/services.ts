// The services a stand-in target may depend on. Targets take a narrow Pick of Services, so each one's reach
// into shared state is visible in its signature.
import { AuthSessions } from './auth-sessions';
import { type Clock, systemClock } from './clock';
import { newConfirmationCode } from './ids';
import { SignInLockout } from './lockout';
import { Outbox } from './outbox';
import { Store } from './store';
import { RefreshTokens } from './tokens/refresh-tokens';
import { SigningKeys } from './tokens/signing-keys';
import type { RecordedCall } from './types';

export interface Services {
  store: Store;
  clock: Clock;
  outbox: Outbox;
  generateCode: () => string;
  calls: RecordedCall[];
  log: (line: string) => void;
  sessions: AuthSessions;
  lockout: SignInLockout;
  refreshTokens: RefreshTokens;
  signingKeys: SigningKeys;
  /** The stand-in's own URL (no trailing slash): tokens' `iss` is `<baseUrl>/<pool id>`. */
  baseUrl: string;
}

export interface ServiceOptions {
  baseUrl: string;
  clock?: Clock;
  log?: (line: string) => void;
  generateCode?: () => string;
}

/** A fresh, empty set of services: what one stand-in instance (or one unit test) works on. */
export function newServices(options: ServiceOptions): Services {
  const log = options.log ?? (() => {});
  return {
    store: new Store(),
    clock: options.clock ?? systemClock,
    outbox: new Outbox(log),
    generateCode: options.generateCode ?? newConfirmationCode,
    calls: [],
    log,
    sessions: new AuthSessions(),
    lockout: new SignInLockout(),
    refreshTokens: new RefreshTokens(),
    signingKeys: new SigningKeys(),
    baseUrl: options.baseUrl,
  };
}
