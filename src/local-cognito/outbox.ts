// Where codes "arrive" instead of email/SMS: developers read them from the console or GET /_local/outbox, tests
// from `outbox.latestCode()`. Bounded so a long-running dev server cannot grow forever. Each message says what
// its code is for, so a sign-in code is never taken for a confirmation code.
//
// Each message (GET /_local/outbox answers a JSON array of these, oldest first):
//   id           unique per message
//   at           ISO time the code was issued (the stand-in's clock)
//   poolId       the user pool
//   clientId     the app client the call came through (absent for an administrator's invitation)
//   username     the user's real username: what AdminGetUser answers as Username (the `sub` in a pool that
//                signs in by email or phone number)
//   identifier   the Username exactly as the caller sent it (an email, phone number, alias, or the username)
//   code         the code itself (for an invitation, the temporary password)
//   attribute    'email' | 'phone_number': the attribute the code was sent to (and verifies, for sign-up codes)
//   medium       'EMAIL' | 'SMS'
//   destination  the unmasked email or phone number the code went to
//   reason       the call that sent it: 'SignUp' | 'ResendCode' | 'ForgotPassword' | 'SignIn' (InitiateAuth or
//                RespondToAuthChallenge) | 'AdminCreateUser'
//   purpose      what the code is for: 'confirmation' (sign-up) | 'password-reset' | 'sign-in' (a one-time
//                password or an MFA code) | 'invitation' (an administrator's temporary password)
//
// Simulated deliveries (PreventUserExistenceErrors answering for a user that does not exist) send nothing, so
// they never appear here; they are only counted (`simulatedDeliveries`).
import { randomUUID } from 'node:crypto';
import type { DeliveryMedium, VerifiableAttribute } from './types';

export type OutboxReason = 'SignUp' | 'ResendCode' | 'ForgotPassword' | 'SignIn' | 'AdminCreateUser';
export type OutboxPurpose = 'confirmation' | 'password-reset' | 'sign-in' | 'invitation';

export const PURPOSE_OF: Readonly<Record<OutboxReason, OutboxPurpose>> = {
  SignUp: 'confirmation',
  ResendCode: 'confirmation',
  ForgotPassword: 'password-reset',
  SignIn: 'sign-in',
  AdminCreateUser: 'invitation',
};

export interface OutboxMessage {
  readonly id: string;
  readonly at: string;
  readonly poolId: string;
  readonly clientId?: string;
  readonly username: string;
  readonly identifier: string;
  readonly code: string;
  readonly attribute: VerifiableAttribute;
  // Unmasked: this is the developer's view of what was "sent", not what Cognito returns to the caller.
  readonly destination: string;
  readonly medium: DeliveryMedium;
  readonly reason: OutboxReason;
  readonly purpose: OutboxPurpose;
}

export interface OutboxFilter {
  // Matches a message's username or its identifier, ignoring case.
  username?: string;
  purpose?: OutboxPurpose;
}

// The read-only face of the outbox that the public API exposes.
export interface OutboxReader {
  list(filter?: OutboxFilter): OutboxMessage[];
  /** The newest code sent to `username`, or the newest for this purpose when one is given. */
  latestCode(username: string, purpose?: OutboxPurpose): string | undefined;
  /** Deliveries answered as if a code was sent while nothing was (see above), since the last clear(). */
  readonly simulatedDeliveries: number;
  /** Forgets every message and zeroes `simulatedDeliveries`. */
  clear(): void;
}

export const OUTBOX_CAPACITY = 1000;

export class Outbox implements OutboxReader {
  private messages: OutboxMessage[] = [];
  private simulated = 0;

  constructor(
    private readonly log: (line: string) => void = () => {},
    private readonly capacity = OUTBOX_CAPACITY,
  ) {}

  deliver(message: Omit<OutboxMessage, 'id' | 'purpose'>): OutboxMessage {
    const stored: OutboxMessage = Object.freeze({
      id: randomUUID(),
      ...message,
      purpose: PURPOSE_OF[message.reason],
    });
    this.messages.push(stored);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    // The pool is named: a stand-in can hold several, and a username is only unique within one. A confirmation
    // code keeps the line it always had; the others say what they are for.
    const what = stored.purpose === 'confirmation' ? 'code' : `${stored.purpose} code`;
    this.log(
      `[local-cognito] ${what} ${stored.code} for ${JSON.stringify(stored.username)} in pool ${stored.poolId} -> ${stored.destination} (${stored.medium})`,
    );
    return stored;
  }

  /** Counts an answer that claimed a delivery which never happened; nothing is stored or logged. */
  recordSimulated(): void {
    this.simulated++;
  }

  get simulatedDeliveries(): number {
    return this.simulated;
  }

  // Oldest first. Matching ignores case: the outbox spans pools with different case rules, and a looser match
  // only ever shows a developer more of their own messages. The identifier is matched too, so a developer can
  // look a code up by the email a user signed up with even where the username is a generated `sub`.
  list(filter: OutboxFilter = {}): OutboxMessage[] {
    const { username, purpose } = filter;
    const wanted = username?.toLowerCase();
    return this.messages.filter(
      (m) =>
        (wanted === undefined ||
          m.username.toLowerCase() === wanted ||
          m.identifier.toLowerCase() === wanted) &&
        (purpose === undefined || m.purpose === purpose),
    );
  }

  latestCode(username: string, purpose?: OutboxPurpose): string | undefined {
    return this.list({ username, ...(purpose && { purpose }) }).at(-1)?.code;
  }

  clear(): void {
    this.messages = [];
    this.simulated = 0;
  }
}
