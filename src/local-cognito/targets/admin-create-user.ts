// AdminCreateUser: an administrator creates a user with a temporary password, in FORCE_CHANGE_PASSWORD. The
// first sign-in with that password is answered NEW_PASSWORD_REQUIRED; the password expires after seven days
// (sign-in.ts). The invitation (username and temporary password) goes to the outbox with the purpose
// 'invitation', unless MessageAction is SUPPRESS. An administrator may mark the email or phone number verified
// (email_verified / phone_number_verified in UserAttributes), which a SignUp caller never can.
//
// Not modelled: MessageAction RESEND, and the pool's own invitation templates.
import { randomBytes } from 'node:crypto';
import { deliverCode } from '../confirmation-codes';
import { CognitoError, userPoolNotFound } from '../errors';
import { admitUser } from '../new-users';
import { checkPasswordPolicy, hashPassword } from '../passwords';
import type { Services } from '../services';
import type { JsonObject, User, UserPool, VerifiableAttribute } from '../types';
import { attributeList, userRecordFields } from '../user-description';
import {
  readAttributes,
  readBoolean,
  readObject,
  readStringList,
  readStrings,
  validationError,
} from '../validation';

const MEDIUM_ATTRIBUTE: Readonly<Record<string, VerifiableAttribute>> = {
  SMS: 'phone_number',
  EMAIL: 'email',
};

export function adminCreateUser(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'outbox' | 'generateCode'>,
): { User: JsonObject } {
  const input = readStrings(body, ['UserPoolId', 'Username'], ['TemporaryPassword', 'MessageAction']);
  const attributes = readAttributes(body, 'UserAttributes');
  readAttributes(body, 'ValidationData');
  readObject(body, 'ClientMetadata');
  readBoolean(body, 'ForceAliasCreation');
  const mediums = readStringList(body, 'DesiredDeliveryMediums');
  if (mediums?.some((medium) => !(medium in MEDIUM_ATTRIBUTE))) {
    throw validationError([
      `Value '[${mediums.join(', ')}]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [SMS, EMAIL]]`,
    ]);
  }
  const action = input.MessageAction;
  if (action !== undefined && action !== 'RESEND' && action !== 'SUPPRESS') {
    throw validationError([
      `Value '${action}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`,
    ]);
  }
  if (action === 'RESEND') {
    throw new CognitoError(
      'InvalidParameterException',
      'The local Cognito stand-in does not implement MessageAction RESEND.',
    );
  }
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);
  if (input.TemporaryPassword !== undefined) checkPasswordPolicy(pool, input.TemporaryPassword);
  // Cognito makes up a temporary password that meets the policy; the stand-in's policy is only a length.
  const temporaryPassword = input.TemporaryPassword ?? randomBytes(12).toString('base64url');

  const given = new Map(attributes.map((a) => [a.Name, a.Value ?? '']));
  const verified = (['email', 'phone_number'] as const).filter(
    (name) => given.get(`${name}_verified`) === 'true',
  );
  const user = admitUser(deps, pool, {
    identifier: input.Username,
    attributes: given,
    passwordHash: hashPassword(temporaryPassword),
    status: 'FORCE_CHANGE_PASSWORD',
    verified,
  });
  if (action !== 'SUPPRESS') invite(deps, pool, user, input.Username, temporaryPassword, mediums);

  return {
    User: {
      Username: user.username,
      Attributes: attributeList(user),
      ...userRecordFields(user),
    },
  };
}

// Mediums the caller asked for must have somewhere to go (the API reference: "You must provide a value for
// email ... if you set EMAIL in the DesiredDeliveryMediums"). Without a request, Cognito's default is SMS; the
// stand-in then falls back to the email when there is no phone number, rather than failing the call.
function invite(
  deps: Pick<Services, 'clock' | 'outbox' | 'generateCode'>,
  pool: UserPool,
  user: User,
  identifier: string,
  temporaryPassword: string,
  mediums: string[] | undefined,
): void {
  const wanted = mediums ?? ['SMS'];
  const attributes = wanted.flatMap((medium) => {
    const attribute = MEDIUM_ATTRIBUTE[medium];
    return attribute ? [attribute] : [];
  });
  const missing = attributes.find((attribute) => !user.attributes.get(attribute));
  if (mediums !== undefined && missing) {
    throw new CognitoError(
      'InvalidParameterException',
      `The user has no ${missing} to send the invitation to.`,
    );
  }
  const reachable =
    mediums !== undefined
      ? attributes
      : (['phone_number', 'email'] as const).filter((a) => user.attributes.get(a)).slice(0, 1);
  for (const attribute of reachable) {
    deliverCode(deps, { pool, user, identifier }, attribute, 'AdminCreateUser', temporaryPassword);
  }
}
