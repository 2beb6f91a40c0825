// What the gateway remembers of where a username's codes go: at sign-up it learns the user's email and phone
// number, and a later resend (or any code for that username) is counted against the same destinations, so
// that one inbox cannot be bombed through many usernames. Only hashes are kept (the username's limit key and
// the destinations' keys), for the lifetime of a sign-up code.
import { destinationKey } from './destination';
import { usernameKey } from './limit-keys';

/** A sign-up confirmation code is valid for 24 hours; the link is needed no longer. */
export const LINK_TTL_SECONDS = 24 * 3_600;

/** A small key-value store with expiry (Redis, or memory). */
export interface LinkStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export class DestinationLinks {
  constructor(
    private readonly store: LinkStore,
    private readonly usernameCaseSensitive: boolean,
  ) {}

  /** Links a username to the destination keys its codes go to. */
  async remember(username: string, destinations: readonly string[]): Promise<void> {
    if (destinations.length === 0) return;
    await this.store.set(this.key(username), [...new Set(destinations)].join(','), LINK_TTL_SECONDS);
  }

  /**
   * The destination keys a code for this username may go to: those learned at its sign-up, and the username
   * itself when it is an email address or phone number (pools that sign in by email or phone use it as one).
   */
  async recall(username: string): Promise<string[]> {
    const linked = (await this.store.get(this.key(username)))?.split(',').filter(Boolean) ?? [];
    const own = destinationKey(username);
    return [...new Set(own ? [...linked, own] : linked)];
  }

  private key(username: string): string {
    return `link:${usernameKey(username, this.usernameCaseSensitive)}`;
  }
}
