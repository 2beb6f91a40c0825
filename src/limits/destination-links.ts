// What the gateway remembers of where each user's codes go, so that a code is counted against the inbox or
// phone it really reaches whichever identifier names the user. Cognito accepts several identifiers for one
// user (the username as the pool compares it; the `sub` that signUp answers; the email or phone number in pools
// that sign in by them), so each of them gets a link to the same facts:
//   d:<key>         a destination key (destination.ts): the email or phone the code may go to
//   a:<hash>        the account (its sub, hashed): per-user limits count the account, not the spelling
//   p:<CC>:<TYPE>   a phone number's country and type, for the phone policy at send time (never the number)
//   m:<MEDIUM>      a medium a code went by although no destination of it was known (an attribute changed
//                   elsewhere): later codes reserve that medium's budgets too
//   s:<MEDIUM>      a medium a sign-in code (MFA) went by: later sign-ins reserve the user's reach first
// Only hashes and these facts are kept. A link lives as long as Cognito may still send the user codes: its
// retention (at least 30 days) starts again at every code sent. A link is a set that only grows, so a later
// sign-up never moves a user's codes off their inbox; one filled past LINKED_MAX is refused as a defence in
// depth (a real user has a handful of members). The first account an identifier is linked to keeps it: facts
// of another account are never merged in, since Cognito gives one identifier to one user and a second account
// means the gateway compares identifiers otherwise than the pool (a case-sensitive pool counted without
// LIMIT_USERNAME_CASE_SENSITIVE): merging would let one user's sign-ups fill, or spend, another's link.
import { phoneFacts } from './destination';
import { hashedKey } from './limit-keys';

/** Members one identifier's link may hold; past it the identifier is refused. */
export const LINKED_MAX = 16;

/** Sets of strings with expiry (Redis, or memory). `add` is atomic and restarts the set's expiry. */
export interface LinkStore {
  members(key: string): Promise<string[]>;
  add(key: string, members: readonly string[], ttlSeconds: number): Promise<void>;
}

export type Medium = 'SMS' | 'EMAIL';

/** What the gateway knows of the user behind an identifier. */
export interface LinkedUser {
  /** The account's key, shared by every identifier of the user; undefined when it was never learned. */
  account?: string;
  destinations: string[];
  phones: Array<{ country: string; type: string }>;
  /** Media codes went by that no known destination foresaw. */
  unforeseen: Medium[];
  /** Media that sign-in codes (MFA, one-time codes) went by for this user: such sign-ins reserve them. */
  signInCodes: Medium[];
  /** The members as stored, to restart the link's retention with. */
  members: string[];
}

export type Recalled = { linked: LinkedUser } | { unlinked: true } | { overfilled: true };

/** What a sign-up or a look-up teaches the gateway about one user. */
export interface UserFacts {
  /** Every identifier Cognito accepts for the user (as given; folded here as the pool compares them). */
  identifiers: readonly string[];
  sub?: string;
  destinations: readonly string[];
  /** The user's phone numbers (as given), kept only as their country and type. */
  phoneNumbers: readonly string[];
  /** Media a sign-in code went by for the user. */
  signInCodes?: readonly Medium[];
}

export interface LinkSettings {
  usernameCaseSensitive: boolean;
  retentionSeconds: number;
}

/** An identifier as the pool compares it: lower-cased unless the pool is case-sensitive. */
export function poolCompared(identifier: string, caseSensitive: boolean): string {
  return caseSensitive ? identifier : identifier.toLowerCase();
}

/** The account key of a sub, as links and per-user limits name it. */
export function accountKey(sub: string): string {
  return `a:${hashedKey(sub.toLowerCase())}`;
}

export class DestinationLinks {
  constructor(
    private readonly store: LinkStore,
    private readonly settings: LinkSettings,
  ) {}

  /**
   * Links every identifier of a user to its facts. Answers how many identifiers were already another
   * account's (and were left as they were).
   */
  async remember(user: UserFacts): Promise<{ taken: number }> {
    const members = [
      ...user.destinations,
      ...(user.sub ? [accountKey(user.sub)] : []),
      ...user.phoneNumbers.map((phone) => {
        const { country, type } = phoneFacts(phone);
        return `p:${country}:${type}`;
      }),
      ...(user.signInCodes ?? []).map((medium) => `s:${medium}`),
    ];
    if (members.length === 0) return { taken: 0 };
    const identifiers = [...user.identifiers, ...(user.sub ? [user.sub] : [])];
    const added = await Promise.all(
      [...new Set(identifiers)].map((identifier) => this.add(identifier, members)),
    );
    return { taken: added.filter((ok) => !ok).length };
  }

  /** What is known of the user behind an identifier. */
  async recall(identifier: string): Promise<Recalled> {
    const members = await this.store.members(this.key(identifier));
    if (members.length > LINKED_MAX) return { overfilled: true };
    if (members.length === 0) return { unlinked: true };
    const user: LinkedUser = { destinations: [], phones: [], unforeseen: [], signInCodes: [], members };
    for (const member of members) {
      if (member.startsWith('d:')) user.destinations.push(member);
      else if (member.startsWith('a:')) user.account = member;
      else if (member.startsWith('p:')) {
        const [, country = 'ZZ', type = 'UNKNOWN'] = member.split(':');
        user.phones.push({ country, type });
      } else if (member === 'm:SMS' || member === 'm:EMAIL') user.unforeseen.push(member.slice(2) as Medium);
      else if (member === 's:SMS' || member === 's:EMAIL') user.signInCodes.push(member.slice(2) as Medium);
    }
    return { linked: user };
  }

  /**
   * A code was sent to a linked user: the link's retention starts again, and a medium no known destination
   * foresaw is remembered, so that the next code reserves its budgets.
   */
  async codeSent(
    identifier: string,
    user: LinkedUser,
    unforeseen: Medium | undefined,
    signInCode?: Medium,
  ): Promise<void> {
    const added = [...(unforeseen ? [`m:${unforeseen}`] : []), ...(signInCode ? [`s:${signInCode}`] : [])];
    await this.add(identifier, [...new Set([...user.members, ...added])]);
  }

  /** The sign-ups' logged word for identifiers left to another account, naming the setting to check. */
  static readonly TAKEN_WARNING =
    'an identifier of a new user is already linked to another account: the pool compares usernames otherwise than the gateway (a case-sensitive pool needs LIMIT_USERNAME_CASE_SENSITIVE=true)';

  /** False when the identifier is another account's (or past its bound), and was left as it was. */
  private async add(identifier: string, members: readonly string[]): Promise<boolean> {
    const key = this.key(identifier);
    const held = await this.store.members(key);
    // A set already past its bound is refused whatever it holds: growing it further buys nothing.
    if (held.length > LINKED_MAX) return false;
    const account = members.find((m) => m.startsWith('a:'));
    if (account && held.some((m) => m.startsWith('a:') && m !== account)) return false;
    await this.store.add(key, members, this.settings.retentionSeconds);
    return true;
  }

  private key(identifier: string): string {
    return `link:${hashedKey(poolCompared(identifier, this.settings.usernameCaseSensitive))}`;
  }
}
