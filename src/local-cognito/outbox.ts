// Where codes "arrive" instead of email/SMS: developers read them from the console or GET /_local/outbox, tests
// from `outbox.latestCode()`. Bounded so a long-running dev server cannot grow forever.
//
// Each message (GET /_local/outbox answers a JSON array of these, oldest first):
//   id           unique per message
//   at           ISO time the code was issued (the stand-in's clock)
//   poolId       the user pool
//   clientId     the app client the call came through
//   username     the user's real username: what AdminGetUser answers as Username (the `sub` in a pool that
//                signs in by email or phone number)
//   identifier   the Username exactly as the caller sent it (an email, phone number, alias, or the username)
//   code         the code itself
//   attribute    'email' | 'phone_number': the attribute the code was sent to (and verifies, for sign-up codes)
//   medium       'EMAIL' | 'SMS'
//   destination  the unmasked email or phone number the code went to
//   reason       'SignUp' | 'ResendCode' | 'ForgotPassword'
//
// Simulated deliveries (PreventUserExistenceErrors answering for a user that does not exist) send nothing, so
// they never appear here; they are only counted (`simulatedDeliveries`).
import { randomUUID } from 'node:crypto';
import type { DeliveryMedium, VerifiableAttribute } from './types';

export interface OutboxMessage {
  readonly id: string;
  readonly at: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly identifier: string;
  readonly code: string;
  readonly attribute: VerifiableAttribute;
  // Unmasked: this is the developer's view of what was "sent", not what Cognito returns to the caller.
  readonly destination: string;
  readonly medium: DeliveryMedium;
  readonly reason: 'SignUp' | 'ResendCode' | 'ForgotPassword';
}

export interface OutboxFilter {
  // Matches a message's username or its identifier, ignoring case.
  username?: string;
}

// The read-only face of the outbox that the public API exposes.
export interface OutboxReader {
  list(filter?: OutboxFilter): OutboxMessage[];
  latestCode(username: string): string | undefined;
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

  deliver(message: Omit<OutboxMessage, 'id'>): OutboxMessage {
    const stored: OutboxMessage = Object.freeze({ id: randomUUID(), ...message });
    this.messages.push(stored);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    // The pool is named: a stand-in can hold several, and a username is only unique within one.
    this.log(
      `[local-cognito] code ${stored.code} for ${JSON.stringify(stored.username)} in pool ${stored.poolId} -> ${stored.destination} (${stored.medium})`,
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
    const { username } = filter;
    if (username === undefined) return [...this.messages];
    const wanted = username.toLowerCase();
    return this.messages.filter(
      (m) => m.username.toLowerCase() === wanted || m.identifier.toLowerCase() === wanted,
    );
  }

  latestCode(username: string): string | undefined {
    return this.list({ username }).at(-1)?.code;
  }

  clear(): void {
    this.messages = [];
    this.simulated = 0;
  }
}
