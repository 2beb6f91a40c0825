// A caller can choose what makes one Cognito action slow or failing (a pre-sign-up trigger that takes long
// for some input, a burst of sign-ups): the breaker that opens, and the in-flight slots that fill, must be
// that action's, not everyone's. The stand-in injects faults into SignUp only; resends and confirms of
// other users go on. Counts what reached the stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { confirmSignUp, resend, signUp } from '../support/user-pool-requests';

function newUser(name: string) {
  return signUp({
    username: name,
    password: 'Plum-Tiger-Harbor-93!',
    userAttributes: [{ name: 'email', value: `${name}@example.com` }],
  });
}

function upstream(h: Harness, action: string): number {
  return h.standIn.calls.filter((c) => c.action === action).length;
}

/** Users signed up directly at the stand-in, each with a code waiting: what resends and confirms need. */
async function users(h: Harness, prefix: string, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}.${i}`);
  for (const name of names) await h.signUp(name);
  return names;
}

/** 29 calls of other actions, as the attack run sent: resends, then confirms with the right codes. */
async function otherOperations(h: Harness, names: string[]): Promise<string[]> {
  const codes: string[] = [];
  for (const username of names.slice(0, 15)) codes.push(codeOf(await h.graphql(resend({ username }))));
  for (const username of names.slice(15)) {
    const confirmationCode = h.standIn.outbox.latestCode(username);
    codes.push(codeOf(await h.graphql(confirmSignUp({ username, confirmationCode }))));
  }
  return codes;
}

describe('SignUp timing out (a slow pre-sign-up trigger)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { COGNITO_REQUEST_TIMEOUT_MS: '300' } });
  });
  afterEach(() => h.standIn.faults.clear());
  afterAll(() => h.close());

  it("opens SignUp's breaker only: resends and confirms go on, and SignUp fails fast without reaching Cognito", async () => {
    const names = await users(h, 'bystander', 29);
    h.standIn.faults.set({ latencyMs: 1_000, actions: ['SignUp'] });
    const attack = await Promise.all(Array.from({ length: 25 }, (_, i) => h.graphql(newUser(`slow.${i}`))));
    expect(new Set(attack.map(codeOf))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));

    h.standIn.calls.length = 0;
    const codes = await otherOperations(h, names);
    console.log(
      `SignUp's breaker open: ${codes.filter((c) => c === 'OK').length} of 29 other calls answered`,
    );
    expect(codes).toEqual(Array(29).fill('OK'));
    const opened = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('cognito circuit open'));
    expect(opened.map((l) => l.action)).toEqual(['SignUp']);
    expect(upstream(h, 'ResendConfirmationCode')).toBe(15);
    expect(upstream(h, 'ConfirmSignUp')).toBe(14);

    const started = performance.now();
    expect(codeOf(await h.graphql(newUser('slow.after')))).toBe('UPSTREAM_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(200);
    expect(upstream(h, 'SignUp')).toBe(0);
  });

  it('shows which breaker is open in /metrics, and which calls each refused', async () => {
    const text = await (await fetch(h.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/^gateway_cognito_circuit_open\{action="SignUp"\} 1$/m);
    expect(text).toMatch(/^gateway_cognito_circuit_open\{action="ResendConfirmationCode"\} 0$/m);
    expect(text).toMatch(/^gateway_cognito_refused_total\{action="SignUp",by="breaker"\} [1-9]\d*$/m);
  });
});

describe('SignUp failing (InternalErrorException on every call)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("opens SignUp's breaker only", async () => {
    const names = await users(h, 'bystander', 29);
    h.standIn.faults.set({ serverErrorRate: 1, actions: ['SignUp'] });
    for (let i = 0; i < 25; i++) await h.graphql(newUser(`failing.${i}`));
    h.standIn.faults.clear();
    h.standIn.calls.length = 0;
    const codes = await otherOperations(h, names);
    console.log(`SignUp failing: ${codes.filter((c) => c === 'OK').length} of 29 other calls answered`);
    expect(codes).toEqual(Array(29).fill('OK'));
    // Cognito has recovered, but SignUp's breaker waits its 5 s before a trial call.
    expect(codeOf(await h.graphql(newUser('failing.after')))).toBe('UPSTREAM_UNAVAILABLE');
    expect(upstream(h, 'SignUp')).toBe(0);
  });
});

describe('slow SignUps filling the in-flight cap', () => {
  let h: Harness;
  beforeAll(async () => {
    // Behind a proxy, so that the flood comes from many client IPs as a botnet's would.
    h = await startHarness({
      env: { COGNITO_MAX_IN_FLIGHT: '20', COGNITO_REQUEST_TIMEOUT_MS: '10000', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => h.close());

  it('leave room for the other actions: resends and confirms sent meanwhile are answered', async () => {
    const names = await users(h, 'bystander', 29);
    // Slow but within the request timeout: these calls succeed, so no breaker opens; they only hold slots.
    h.standIn.faults.set({ latencyMs: 5_000, actions: ['SignUp'] });
    const flood = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        h.graphql(newUser(`flood.${i}`), { 'x-forwarded-for': `198.51.100.${i}` }),
      ),
    );
    // Once the flood holds what it can.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const codes = await otherOperations(h, names);
    // They were answered while the slow sign-ups still held their slots.
    expect(await Promise.race([flood.then(() => 'over'), 'under way'])).toBe('under way');
    const floodCodes = (await flood).map(codeOf);
    h.standIn.faults.clear();
    const held = floodCodes.filter((c) => c === 'OK').length;
    console.log(
      `slow SignUps: ${held} of 60 held a slot (cap 20); ${codes.filter((c) => c === 'OK').length} of 29 other calls answered meanwhile`,
    );
    expect(codes).toEqual(Array(29).fill('OK'));
    // One action alone takes at most half of the cap.
    expect(held).toBe(10);
    expect(floodCodes.filter((c) => c === 'UPSTREAM_UNAVAILABLE')).toHaveLength(50);
  });
});
