// Drives the stand-in's fault injection with the real AWS SDK over real HTTP: what the SDK makes of each
// fault, that faults are steerable in process and over /_local/faults, and that a seed replays a run.
import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  InternalErrorException,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultSettings,
  FaultSettingsError,
  type FaultStats,
  type LocalCognito,
  startLocalCognito,
} from '../../src/local-cognito';
import { rejectionOf } from '../support/thrown';

const REGION = 'us-east-1';
const PASSWORD = 'correct-horse-battery';

let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;
let clientId: string;
let usernames = 0;

beforeAll(async () => {
  cognito = await startLocalCognito();
  const { id } = cognito.createUserPool();
  ({ clientId } = cognito.createUserPoolClient(id));
  // One attempt per send, so each SDK call is exactly one call at the stand-in.
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: cognito.url, maxAttempts: 1 });
  await signUp('jane');
});

afterAll(async () => {
  client.destroy();
  await cognito.close();
});

afterEach(() => {
  cognito.faults.clear();
  cognito.faults.resetStats();
  cognito.outbox.clear();
});

function signUp(username = `user-${++usernames}`) {
  return client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }),
  );
}

function resend() {
  return client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'jane' }));
}

const failure = rejectionOf;

type Outcome = 'ok' | 'throttled' | 'serverError' | 'other';

async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof TooManyRequestsException) return 'throttled';
    if (error instanceof InternalErrorException) return 'serverError';
    return 'other';
  }
}

// `count` resends, `concurrency` at a time. Which call gets which fault depends on arrival order, but the
// faults handed out over all calls do not: they are the seed's first `count` decisions.
async function resendMany(count: number, concurrency = 50): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let sent = 0; sent < count; sent += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - sent) }, () => outcomeOf(resend()));
    outcomes.push(...(await Promise.all(batch)));
  }
  return outcomes;
}

function tally(outcomes: Outcome[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { ok: 0, throttled: 0, serverError: 0, other: 0 };
  for (const outcome of outcomes) counts[outcome]++;
  return counts;
}

describe('what the SDK makes of each fault', () => {
  it('throws TooManyRequestsException (HTTP 400) at throttleRate 1', async () => {
    cognito.faults.set({ throttleRate: 1 });

    const error = await failure(resend());

    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect((error as TooManyRequestsException).$metadata.httpStatusCode).toBe(400);
  });

  it('throws InternalErrorException with HTTP 500 at serverErrorRate 1', async () => {
    cognito.faults.set({ serverErrorRate: 1 });

    const error = await failure(resend());

    expect(error).toBeInstanceOf(InternalErrorException);
    expect((error as InternalErrorException).$metadata.httpStatusCode).toBe(500);
  });

  it('throws an unmodeled error with HTTP 500 and no request id at htmlErrorRate 1', async () => {
    cognito.faults.set({ htmlErrorRate: 1 });

    const error = await failure(resend());

    expect(error).not.toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect((error as { $metadata?: unknown }).$metadata).toMatchObject({
      httpStatusCode: 500,
      requestId: undefined,
    });
  });

  it('serves the HTML error as a text/html page, not AWS JSON', async () => {
    cognito.faults.set({ htmlErrorRate: 1 });

    const response = await fetch(cognito.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: '{}',
    });

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('fails with a reset socket ("socket hang up", ECONNRESET) at dropRate 1', async () => {
    cognito.faults.set({ dropRate: 1 });

    const error = await failure(resend());

    expect(error).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  });

  it('takes at least latencyMs to answer', async () => {
    cognito.faults.set({ latencyMs: 150 });
    const started = performance.now();

    await resend();

    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('waits latencyMs before dropping a connection too', async () => {
    cognito.faults.set({ dropRate: 1, latencyMs: 50 });
    const started = performance.now();

    await failure(resend());

    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });
});

describe('choosing which calls fault', () => {
  it('faults only the listed actions', async () => {
    cognito.faults.set({ throttleRate: 1, actions: ['ResendConfirmationCode'] });

    expect(await outcomeOf(signUp())).toBe('ok');
    expect(await outcomeOf(resend())).toBe('throttled');
  });

  it('replays the same fault sequence for the same seed', async () => {
    const run = async () => {
      cognito.faults.set({ serverErrorRate: 0.3, throttleRate: 0.3, seed: 20240601 });
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 20; i++) outcomes.push(await outcomeOf(resend()));
      return outcomes;
    };

    const first = await run();
    const second = await run();

    expect(new Set(first).size).toBeGreaterThan(1);
    expect(second).toEqual(first);
  });

  it('faults about the configured share of 500 calls at 20% 5xx and 10% throttling', async () => {
    cognito.faults.set({ serverErrorRate: 0.2, throttleRate: 0.1, seed: 1 });

    await resendMany(500);

    const stats = cognito.faults.stats();
    expect(stats.total).toBe(500);
    expect(stats.serverError).toBeGreaterThanOrEqual(70);
    expect(stats.serverError).toBeLessThanOrEqual(130);
    expect(stats.throttled).toBeGreaterThanOrEqual(25);
    expect(stats.throttled).toBeLessThanOrEqual(75);
  });

  it('counts each outcome exactly as the SDK saw it', async () => {
    cognito.faults.set({ serverErrorRate: 0.3, throttleRate: 0.3, seed: 5 });

    const seen = tally(await resendMany(60));

    expect(cognito.faults.stats()).toEqual<FaultStats>({
      total: 60,
      ok: seen.ok,
      throttled: seen.throttled,
      serverError: seen.serverError,
      htmlError: 0,
      dropped: 0,
    });
  });

  it('still records every call that arrived, faulted or not', async () => {
    cognito.faults.set({ dropRate: 0.3, serverErrorRate: 0.3, seed: 2 });
    const before = cognito.calls.length;

    await Promise.all(Array.from({ length: 10 }, () => outcomeOf(resend())));

    expect(cognito.calls.length - before).toBe(10);
  });

  it('serves normally again after clear()', async () => {
    cognito.faults.set({ throttleRate: 1 });
    await failure(resend());

    cognito.faults.clear();

    expect(await outcomeOf(resend())).toBe('ok');
  });

  it('never faults the /_local/ endpoints', async () => {
    cognito.faults.set({ dropRate: 1 });

    const response = await fetch(`${cognito.url}/_local/health`);

    expect(response.status).toBe(200);
    expect(cognito.faults.stats().total).toBe(0);
  });

  it('refuses out-of-range settings with FaultSettingsError, keeping the settings in force', () => {
    cognito.faults.set({ throttleRate: 0.5, seed: 1 });

    expect(() => cognito.faults.set({ serverErrorRate: 1.5 })).toThrow(FaultSettingsError);
    expect(cognito.faults.current()).toEqual({ throttleRate: 0.5, seed: 1 });
  });
});

describe('steering faults over HTTP at /_local/faults', () => {
  const faultsUrl = () => `${cognito.url}/_local/faults`;

  function put(body: string) {
    return fetch(faultsUrl(), { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body });
  }

  it('applies settings sent with PUT to the next SDK call', async () => {
    const response = await put(JSON.stringify({ throttleRate: 1 }));

    expect(response.status).toBe(200);
    expect(await outcomeOf(resend())).toBe('throttled');
  });

  it('reports the settings in force and the counters on GET', async () => {
    cognito.faults.set({ serverErrorRate: 1, seed: 3 });
    await failure(resend());

    const response = await fetch(faultsUrl());

    expect(await response.json()).toEqual({
      settings: { serverErrorRate: 1, seed: 3 },
      stats: { total: 1, ok: 0, throttled: 0, serverError: 1, htmlError: 0, dropped: 0 },
    });
  });

  it('restores normal service on DELETE', async () => {
    cognito.faults.set({ throttleRate: 1 });

    const response = await fetch(faultsUrl(), { method: 'DELETE' });

    expect(response.status).toBe(204);
    expect(await outcomeOf(resend())).toBe('ok');
  });

  it('zeroes the counters on DELETE /_local/faults/stats', async () => {
    await resend();

    const response = await fetch(`${faultsUrl()}/stats`, { method: 'DELETE' });

    expect(response.status).toBe(204);
    expect(cognito.faults.stats().total).toBe(0);
  });

  it.each([
    ['a rate above 1', '{"throttleRate":1.5}', /throttleRate must be a number from 0 to 1/],
    ['a latency above 60000 ms', '{"latencyMs":60001}', /latencyMs must be a number of milliseconds/],
    ['an unknown key', '{"throttle":0.5}', /unknown setting "throttle"/],
    ['an unknown action', '{"actions":["Nope"]}', /unknown action\(s\) "Nope"/],
    ['a body that is not JSON', 'throttleRate=1', /must be a JSON object/],
    ['a JSON value that is not an object', '[0.5]', /must be an object/],
  ])('answers 400 with a clear message to %s, changing nothing', async (_what, body, message) => {
    cognito.faults.set({ latencyMs: 1, seed: 1 });

    const response = await put(body);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    expect(cognito.faults.current()).toEqual({ latencyMs: 1, seed: 1 });
  });

  it('answers 405 to a method the endpoint does not serve', async () => {
    const response = await fetch(faultsUrl(), { method: 'POST', body: '{}' });

    expect(response.status).toBe(405);
  });
});

describe('faults from the start', () => {
  it('applies the faults given to startLocalCognito from the first call', async () => {
    const local = await startLocalCognito({ faults: { serverErrorRate: 1 } });
    const localClient = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: local.url,
      maxAttempts: 1,
    });
    try {
      const error = await failure(
        localClient.send(new SignUpCommand({ ClientId: 'any', Username: 'jane', Password: PASSWORD })),
      );
      expect(error).toBeInstanceOf(InternalErrorException);
    } finally {
      localClient.destroy();
      await local.close();
    }
  });

  it('refuses to start with invalid fault settings', async () => {
    const settings: FaultSettings = { dropRate: 2 };

    await expect(startLocalCognito({ faults: settings })).rejects.toThrow(FaultSettingsError);
  });
});

describe('lifecycle with faults', () => {
  it('closes promptly while a response delayed by 5 s is pending', async () => {
    const local = await startLocalCognito({ faults: { latencyMs: 5_000 } });
    const localClient = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: local.url,
      maxAttempts: 1,
    });
    try {
      const pending = failure(
        localClient.send(new SignUpCommand({ ClientId: 'any', Username: 'jane', Password: PASSWORD })),
      );
      while (local.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      const started = performance.now();
      await local.close();

      expect(performance.now() - started).toBeLessThan(500);
      await pending;
    } finally {
      localClient.destroy();
    }
  });

  it('abandons a delayed call when close() ends its connection, so its action never runs', async () => {
    const local = await startLocalCognito({ faults: { latencyMs: 100 } });
    const localClient = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: local.url,
      maxAttempts: 1,
    });
    try {
      const { id } = local.createUserPool();
      const { clientId: localClientId } = local.createUserPoolClient(id);
      const pending = failure(
        localClient.send(
          new SignUpCommand({
            ClientId: localClientId,
            Username: 'jane',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
          }),
        ),
      );
      while (local.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

      await local.close();
      await pending;
      await new Promise((resolve) => setTimeout(resolve, 150));

      expect(local.outbox.list()).toEqual([]);
    } finally {
      localClient.destroy();
    }
  });
});
