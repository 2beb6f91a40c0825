// Property-based tests over real HTTP against the gateway and the local stand-in:
// signUp inputs (the password above all).
// Whatever comes in, the answer is JSON of the documented shape with a documented code and no internals,
// invalid input never reaches Cognito, what does reach it satisfies Cognito's rules, and no value sent is
// quoted back or logged. A failing property prints fast-check's shrunk counterexample and seed;
// FUZZ_SEED=<seed> replays a run, FUZZ_SEED=random explores beyond the fixed seed CI uses.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneUsername } from '../../../src/spend-guard/phone-policy';
import { signUpInputArb } from '../../support/fuzz-arbitraries';
import {
  attributesOf,
  classifySignUp,
  codesOf,
  collectVocabulary,
  expectedSignUpRequest,
  expectNoEcho,
  expectNotLogged,
  expectNotQuoted,
  expectRouted,
  expectValidUpstreamCalls,
  Input,
  objectKeys,
  POOL_PASSWORD_MIN,
  params,
  refusedByPhonePolicy,
  SIGN_UP_MUTATION,
  send,
  stringLeaves,
  UUID,
  VOCABULARY_USER,
} from '../../support/fuzz-checks';
import { type GraphQLResponse, type Harness, startHarness } from '../../support/gateway-harness';

/** The numbers a sign-up's code could go to: the phone_number attribute, and the username written as one. */
const phonesOf = (input: Input) => [
  ...(attributesOf(input.userAttributes) ?? []).filter((a) => a.name === 'phone_number').map((a) => a.value),
  ...(typeof input.username === 'string' ? phoneUsername(input.username) : []),
];

describe('fuzzing signUp over HTTP', () => {
  // A harness of its own, so that the users the other properties sign up cannot collide with these.
  let h: Harness;
  let vocabulary = '';
  /** Usernames (lower-cased: the pool compares them so) with a user in the pool. */
  const registered = new Set<string>();
  const PENDING_USER = 'fuzz.pending@example.net';
  const TAKEN_USER = 'Fuzz.Taken@example.net';

  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '5000' } });
    vocabulary = await collectVocabulary(h);
    await h.signUp(PENDING_USER);
    await h.signUp(TAKEN_USER);
    for (const username of [VOCABULARY_USER, PENDING_USER, TAKEN_USER])
      registered.add(username.toLowerCase());
  });
  afterAll(() => h.close());

  /**
   * What the pool answers a sign-up the gateway passed on. A password shorter than the pool's policy and a
   * taken username must fail; an email or phone number may fail Cognito's format check (BAD_USER_INPUT) and
   * a phone number the gateway's phone policy (PHONE_NUMBER_NOT_ALLOWED);
   * anything else creates an unconfirmed user, with a code sent when an email was given.
   */
  function expectSignUpAnswer(res: GraphQLResponse, input: Input, taken: boolean): void {
    const text = JSON.stringify(res.body);
    expect(res.status, text).toBe(200);
    const names = new Set((attributesOf(input.userAttributes) ?? []).map((a) => a.name));
    const certain = [
      ...((input.password as string).length < POOL_PASSWORD_MIN ? ['INVALID_PASSWORD'] : []),
      ...(taken ? ['USERNAME_EXISTS'] : []),
    ];
    const possible = new Set([
      ...certain,
      ...(names.has('email') || names.has('phone_number') ? ['BAD_USER_INPUT'] : []),
      // The phone policy refuses most generated numbers (and usernames written as one) before Cognito.
      ...(names.has('phone_number') || /^\s*\+\d/.test(input.username as string)
        ? ['PHONE_NUMBER_NOT_ALLOWED']
        : []),
    ]);
    if (res.body.errors === undefined) {
      expect(certain, `signed up although it had to fail: ${text}`).toEqual([]);
      const payload = res.body.data?.signUp;
      expect(payload?.userConfirmed, text).toBe(false);
      expect(payload?.userSub, text).toMatch(UUID);
      if (names.has('email')) {
        expect(payload?.codeDeliveryDetails, text).toMatchObject({
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        });
      } else {
        expect(payload?.codeDeliveryDetails, text).toBeNull();
      }
    } else {
      expect(res.body.data ?? null, text).toBeNull();
      const codes = codesOf(res);
      expect(codes, text).toHaveLength(1);
      expect(
        possible.has(codes[0] as string),
        `${String(codes[0])} is one of ${[...possible]}: ${text}`,
      ).toBe(true);
    }
  }

  it('passes valid sign-ups to Cognito exactly, refuses the rest, and never echoes or logs the password', async () => {
    const secrets: string[] = [];
    const outcomes = { accepted: 0, refused: 0, signedUp: 0, inline: 0 };
    await fc.assert(
      fc.asyncProperty(
        signUpInputArb([TAKEN_USER, TAKEN_USER.toUpperCase()]),
        fc.boolean(),
        async (input, inline) => {
          h.standIn.calls.length = 0;
          const logsBefore = h.logs.join('');
          const username = input.username.toLowerCase(); // the pool compares usernames so
          const taken = registered.has(username);
          const sent = await send(h, SIGN_UP_MUTATION, input, inline);
          // Kept up to date before any check, so that a failing run cannot leave it stale while shrinking.
          if (sent.res.body?.data?.signUp) registered.add(username);
          const verdict = classifySignUp(input);
          if (refusedByPhonePolicy(h, sent.res, verdict, phonesOf(input))) {
            outcomes.refused++;
          } else if (expectRouted(h, sent, verdict, () => expectedSignUpRequest(h, input))) {
            expectSignUpAnswer(sent.res, input, taken);
            outcomes.accepted++;
            if (sent.res.body.errors === undefined) outcomes.signedUp++;
          } else {
            outcomes.refused++;
          }
          if (sent.inline) outcomes.inline++;
          expectValidUpstreamCalls(h);
          expectNotQuoted(sent.res, input.password, 'password', vocabulary);
          expectNotQuoted(sent.res, input.username, 'username', vocabulary);
          expectNoEcho(sent.res, stringLeaves(input), vocabulary, objectKeys(input));
          if (expectNotLogged(h, input.password, logsBefore, 'password'))
            secrets.push(input.password as string);
        },
      ),
      params(200),
    );
    // Log lines written after an answer would have escaped the check in the run.
    for (const secret of secrets) expectNotLogged(h, secret, '', 'password');
    // The draws must exercise both sides of the oracle, and both ways of sending.
    expect(outcomes.signedUp, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.accepted - outcomes.signedUp, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.inline, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);
});
