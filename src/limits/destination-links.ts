// What the gateway remembers of where a username's codes go: at sign-up it learns the user's email and phone
// number, and a later resend (or any code for that username) is counted against the same destinations, so
// that one inbox cannot be bombed through many usernames. Only hashes are kept (the username's limit key and
// the destinations' keys), for the lifetime of a sign-up code.
//
// A link is keyed by the username as the pool compares it (lower-cased unless the pool is case-sensitive),
// not by the limits' username key: that one folds more (NFKC, ſ/s, fullwidth letters), so other users'
// sign-ups under folded spellings could otherwise crowd a user's link. A link is a set that only grows, so a
// later sign-up never moves a user's codes off their inbox; since the pool refuses a second sign-up of one
// username, a link holds one user's addresses. One past LINKED_MAX is refused as a defence in depth.
import { createHash } from 'node:crypto';
import { destinationKey } from './destination';

/** A sign-up confirmation code is valid for 24 hours; the link is needed no longer. */
export const LINK_TTL_SECONDS = 24 * 3_600;
/** Destinations one username key may be linked to; past it the key is refused. */
export const LINKED_MAX = 8;

/** Sets of strings with expiry (Redis, or memory). `add` is atomic: concurrent adds are all kept. */
export interface LinkStore {
  members(key: string): Promise<string[]>;
  add(key: string, members: readonly string[], ttlSeconds: number): Promise<void>;
}

/** What a username's codes are counted against. */
export type Recalled = { destinations: string[] } | { overfilled: true };

export class DestinationLinks {
  constructor(
    private readonly store: LinkStore,
    private readonly usernameCaseSensitive: boolean,
  ) {}

  /** Adds destination keys to the set a username's codes are counted against. */
  async remember(username: string, destinations: readonly string[]): Promise<void> {
    if (destinations.length === 0) return;
    const key = this.key(username);
    // A set already past its bound is refused whatever it holds: growing it further buys nothing.
    if ((await this.store.members(key)).length > LINKED_MAX) return;
    await this.store.add(key, destinations, LINK_TTL_SECONDS);
  }

  /**
   * The destination keys a code for this username may go to: those learned at its sign-ups, and the
   * username itself when it is an email address or phone number (pools that sign in by email or phone use it
   * as one).
   */
  async recall(username: string): Promise<Recalled> {
    const linked = await this.store.members(this.key(username));
    if (linked.length > LINKED_MAX) return { overfilled: true };
    const own = destinationKey(username);
    return { destinations: [...new Set(own ? [...linked, own] : linked)] };
  }

  private key(username: string): string {
    const compared = this.usernameCaseSensitive ? username : username.toLowerCase();
    return `link:${createHash('sha256').update(compared, 'utf8').digest('base64url').slice(0, 32)}`;
  }
}
