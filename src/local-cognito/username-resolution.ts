// Which user a Username names: the stand-in's rule (the gateway's own look-up is src/cognito/user-lookup.ts).
// Cognito accepts more than the username itself (developer guide, "User pool attributes",
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html):
//   - in a pool with UsernameAttributes, the user's email or phone number (whichever the pool signs in by),
//     verified or not, besides the real username (the `sub`);
//   - in a pool with AliasAttributes, an email or phone number only once it is verified, and a
//     preferred_username, and in both cases only for a CONFIRMED user.
// Attribute values compare with the pool's case rule, as usernames do.
import { formatOf } from './attribute-formats';
import type { Store } from './store';
import type { AliasAttribute, User, UserPool } from './types';

export function findUserByIdentifier(store: Store, pool: UserPool, identifier: string): User | undefined {
  const byUsername = store.findUser(pool.id, identifier);
  if (byUsername) return byUsername;
  const shape = formatOf(identifier);
  if (shape && pool.usernameAttributes.includes(shape)) return holderOf(store, pool, shape, identifier);
  for (const alias of pool.aliasAttributes) {
    if (alias !== 'preferred_username' && alias !== shape) continue;
    const user = holderOf(store, pool, alias, identifier, (u) => isActiveAlias(u, alias));
    if (user) return user;
  }
  return undefined;
}

/** The first user (other than `except`) whose `attribute` equals `value` and who passes `where`. */
export function holderOf(
  store: Store,
  pool: UserPool,
  attribute: string,
  value: string,
  where: (user: User) => boolean = () => true,
  except?: User,
): User | undefined {
  const wanted = comparable(pool, value);
  for (const user of store.usersOf(pool.id)) {
    if (user === except) continue;
    const held = user.attributes.get(attribute);
    if (held !== undefined && comparable(pool, held) === wanted && where(user)) return user;
  }
  return undefined;
}

/** Whether `alias` names this user now: confirmed, and for an email or phone number, verified. */
export function isActiveAlias(user: User, alias: AliasAttribute): boolean {
  if (user.status !== 'CONFIRMED') return false;
  return alias === 'preferred_username' || user.attributes.get(`${alias}_verified`) === 'true';
}

/** A name or attribute value as this pool compares it (its case rule applied). */
export function comparable(pool: UserPool, value: string): string {
  return pool.usernameCaseSensitive ? value : value.toLowerCase();
}
