// Looks a user up once with AdminGetUser (COGNITO_LOOKUP_USERS), so that a code for an identifier the gateway
// has no link for is counted against the user's real destinations, and their numbers pass the phone policy:
// users made elsewhere, or before the gateway, are then bounded like every other. AdminGetUser is an IAM call:
// the SDK signs it with the credentials of its usual chain (environment, container or instance role); the
// public calls stay unsigned. A look-up that fails leaves the identifier unknown, never refused for it.
import { AdminGetUserCommand, type AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { PoolSettings } from '../config';
import { ErrorCode, errorCodeOf } from '../errors';
import { attributeDestinations } from '../limits/destination';
import type { UserFacts } from '../limits/destination-links';
import type { Logger } from '../logger';
import type { CognitoCaller } from './cognito-caller';

/** Pure: what an AdminGetUser answer teaches about the user behind `identifier`. */
export function userFactsOf(
  identifier: string,
  answer: { Username?: string | undefined; UserAttributes?: AttributeType[] | undefined },
  pool: PoolSettings,
): UserFacts {
  const attributes = (answer.UserAttributes ?? []).flatMap((a) =>
    a.Name && a.Value ? [{ name: a.Name, value: a.Value }] : [],
  );
  const value = (name: string) => attributes.find((a) => a.name === name)?.value;
  const email = value('email');
  const phone = value('phone_number');
  const sub = value('sub');
  // In pools that sign in by email or phone, Cognito accepts those as the username too.
  const signInBy = [
    ...(email && pool.usernameAttributes.has('email') ? [email] : []),
    ...(phone && pool.usernameAttributes.has('phone_number') ? [phone] : []),
  ];
  return {
    identifiers: [identifier, ...(answer.Username ? [answer.Username] : []), ...signInBy],
    ...(sub && { sub }),
    destinations: attributeDestinations(attributes),
    phoneNumbers: phone ? [phone] : [],
  };
}

export class UserLookup {
  constructor(
    private readonly cognito: CognitoCaller,
    private readonly userPoolId: string,
    private readonly pool: PoolSettings,
  ) {}

  /** The user's facts; `absent` when Cognito says there is no such user; undefined when it could not tell. */
  async find(
    identifier: string,
    request: { readonly log: Logger },
  ): Promise<UserFacts | 'absent' | undefined> {
    try {
      const answer = await this.cognito.call(
        'AdminGetUser',
        (client) =>
          client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: identifier })),
        request,
      );
      return userFactsOf(identifier, answer, this.pool);
    } catch (error) {
      const code = errorCodeOf(error);
      if (code === ErrorCode.USER_NOT_FOUND) return 'absent';
      // Logged by the caller with Cognito's detail (missing credentials, AccessDenied): the code says which.
      request.log.warn({ code }, 'user look-up failed: the identifier is treated as unknown');
      return undefined;
    }
  }
}
