// Where confirmation codes "arrive" instead of email/SMS: developers read them from the console or
// GET /_local/outbox, tests from `outbox.latestCode()`. Bounded so a long-running dev server cannot grow forever.
import { randomUUID } from 'node:crypto';
import type { DeliveryMedium } from './types';

export interface OutboxMessage {
  readonly id: string;
  readonly at: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly code: string;
  // Unmasked: this is the developer's view of what was "sent", not what Cognito returns to the caller.
  readonly destination: string;
  readonly medium: DeliveryMedium;
  readonly reason: 'SignUp' | 'ResendCode' | 'ForgotPassword';
}

export interface OutboxFilter {
  username?: string;
}

// The read-only face of the outbox that the public API exposes.
export interface OutboxReader {
  list(filter?: OutboxFilter): OutboxMessage[];
  latestCode(username: string): string | undefined;
  clear(): void;
}

export const OUTBOX_CAPACITY = 1000;

export class Outbox implements OutboxReader {
  private messages: OutboxMessage[] = [];

  constructor(
    private readonly log: (line: string) => void = () => {},
    private readonly capacity = OUTBOX_CAPACITY,
  ) {}

  deliver(message: Omit<OutboxMessage, 'id'>): OutboxMessage {
    const stored: OutboxMessage = Object.freeze({ id: randomUUID(), ...message });
    this.messages.push(stored);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    this.log(
      `[local-cognito] code ${stored.code} for ${JSON.stringify(stored.username)} -> ${stored.destination} (${stored.medium})`,
    );
    return stored;
  }

  // Oldest first. Username matching ignores case: the outbox spans pools with different case rules, and a
  // looser match only ever shows a developer more of their own messages.
  list(filter: OutboxFilter = {}): OutboxMessage[] {
    const { username } = filter;
    if (username === undefined) return [...this.messages];
    const wanted = username.toLowerCase();
    return this.messages.filter((m) => m.username.toLowerCase() === wanted);
  }

  latestCode(username: string): string | undefined {
    return this.list({ username }).at(-1)?.code;
  }

  clear(): void {
    this.messages = [];
  }
}
