// Issuing sign-up confirmation codes: pick the attribute Cognito would verify, replace any earlier code
// (only the newest one is valid), deliver it to the outbox, and describe the delivery as Cognito does.
import { formatOf } from './attribute-formats';
import { maskDestination, simulatedMaskedDestination } from './masking';
import type { OutboxMessage } from './outbox';
import type { Services } from './services';
import type {
  AppClient,
  CodeDeliveryDetails,
  DeliveryMedium,
  PendingCode,
  User,
  UserPool,
  VerifiableAttribute,
} from './types';

export const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const MEDIUM: Readonly<Record<VerifiableAttribute, DeliveryMedium>> = {
  email: 'EMAIL',
  phone_number: 'SMS',
};

// When a user gives both an email and a phone number and the pool auto-verifies both, Cognito sends the
// sign-up code by SMS to the phone only; the email stays unverified. Documented in "Configuring email or phone
// verification" (Important box): https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html
const SIGN_UP_CODE_ORDER: readonly VerifiableAttribute[] = ['phone_number', 'email'];

function deliveryAttribute(pool: UserPool, user: User): VerifiableAttribute | undefined {
  return signUpCodeAttributes(pool).find((name) => Boolean(user.attributes.get(name)));
}

/** The attributes a sign-up code can go to in this pool, most preferred first. */
export function signUpCodeAttributes(pool: UserPool): VerifiableAttribute[] {
  return SIGN_UP_CODE_ORDER.filter((name) => pool.autoVerifiedAttributes.includes(name));
}

/**
 * Who a code is for: the user, and the Username the caller named them by (kept for the outbox). No client for
 * an administrator's call (an invitation).
 */
export interface CodeRecipient {
  pool: UserPool;
  client?: AppClient;
  user: User;
  identifier: string;
}

/**
 * Generates a code (unless given one, as an invitation's temporary password), delivers it to the outbox at the
 * user's `attribute`, and answers the delivery as Cognito does; the caller keeps the code where it belongs (a
 * sign-up code, a reset code, a sign-in session).
 */
export function deliverCode(
  deps: Pick<Services, 'clock' | 'outbox' | 'generateCode'>,
  recipient: CodeRecipient,
  attribute: VerifiableAttribute,
  reason: OutboxMessage['reason'],
  given?: string,
): { code: string; issuedAt: Date; details: CodeDeliveryDetails } {
  const destination = recipient.user.attributes.get(attribute);
  if (!destination) throw new Error(`user ${recipient.user.username} has no ${attribute} to send a code to`);
  const issuedAt = deps.clock.now();
  const code = given ?? deps.generateCode();
  const medium = MEDIUM[attribute];
  deps.outbox.deliver({
    at: issuedAt.toISOString(),
    poolId: recipient.pool.id,
    ...(recipient.client && { clientId: recipient.client.clientId }),
    username: recipient.user.username,
    identifier: recipient.identifier,
    code,
    attribute,
    destination,
    medium,
    reason,
  });
  return {
    code,
    issuedAt,
    details: {
      Destination: maskDestination(destination, medium),
      DeliveryMedium: medium,
      AttributeName: attribute,
    },
  };
}

export function issueConfirmationCode(
  deps: Pick<Services, 'clock' | 'outbox' | 'generateCode'>,
  recipient: CodeRecipient,
  reason: 'SignUp' | 'ResendCode',
): CodeDeliveryDetails | undefined {
  const { pool, user } = recipient;
  const attribute = deliveryAttribute(pool, user);
  if (!attribute) return undefined;
  const { code, issuedAt, details } = deliverCode(deps, recipient, attribute, reason);
  user.pendingCode = { code, issuedAt, attribute };
  return details;
}

// What Cognito answers for an unknown user when user-existence errors are suppressed: it looks like a
// delivery, but nothing is sent (the outbox only counts it). `candidates` are the attributes a real user's code
// could go to, most preferred first. Cognito picks the simulated medium "by the input user name format and
// verification settings of the user pool" (developer guide, "Managing error responses"): a Username shaped like
// an email or phone number gets that medium when it is a candidate, any other the first candidate.
export function simulateCodeDelivery(
  deps: Pick<Services, 'outbox'>,
  pool: UserPool,
  username: string,
  candidates: readonly VerifiableAttribute[],
): CodeDeliveryDetails | undefined {
  const shaped = formatOf(username);
  const attribute = shaped && candidates.includes(shaped) ? shaped : candidates[0];
  if (!attribute) return undefined;
  deps.outbox.recordSimulated();
  const medium = MEDIUM[attribute];
  // Derived from the username, so repeated calls answer alike and the variation itself leaks nothing.
  const seed = `${pool.id}/${pool.usernameCaseSensitive ? username : username.toLowerCase()}`;
  return {
    Destination: simulatedMaskedDestination(seed, medium),
    DeliveryMedium: medium,
    AttributeName: attribute,
  };
}

export function isExpired(pending: PendingCode, now: Date): boolean {
  return now.getTime() - pending.issuedAt.getTime() > CODE_LIFETIME_MS;
}
