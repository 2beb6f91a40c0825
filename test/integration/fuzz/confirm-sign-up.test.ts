// Property-based tests over real HTTP against the gateway and the local stand-in:
// confirmSignUp inputs (the code above all).
// Whatever comes in, the answer is JSON of the documented shape with a documented code and no internals,
// invalid input never reaches Cognito, what does reach it satisfies Cognito's rules, and no value sent is
// quoted back or logged. A failing property prints fast-check's shrunk counterexample and seed;
// FUZZ_SEED=<seed> replays a run, FUZZ_SEED=random explores beyond the fixed seed CI uses.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmSignUpInputArb } from '../../support/fuzz-arbitraries';
import {
  CONFIRM_SIGN_UP_MUTATION,
  classifyConfirmSignUp,
  codesOf,
  collectVocabulary,
  expectedConfirmSignUpRequest,
  expectNoEcho,
  expectNotLogged,
  expectNotQuoted,
  expectRouted,
  expectValidUpstreamCalls,
  objectKeys,
  params,
  send,
  stringLeaves,
  UNKNOWN_USER,
} from '../../support/fuzz-checks';
import { type Harness, startHarness } from '../../support/gateway-harness';

describe('fuzzing confirmSignUp over HTTP', () => {
  // A harness of its own, so that the users the other properties sign up cannot collide with these.
  let h: Harness;
  let vocabulary = '';
  const PENDING_USER = 'fuzz.pending@example.net';
  let pendingCode: string | undefined;
  let pendingConfirmed = false;

  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '5000' } });
    vocabulary = await collectVocabulary(h);
    await h.signUp(PENDING_USER);
    pendingCode = h.standIn.outbox.latestCode(PENDING_USER);
    expect(pendingCode).toBeDefined();
  });
  afterAll(() => h.close());

  it('passes valid codes to Cognito exactly, refuses the rest, and never echoes or logs a code', async () => {
    const secrets: string[] = [];
    const outcomes = { accepted: 0, refused: 0 };
    const inputArb = confirmSignUpInputArb([PENDING_USER, UNKNOWN_USER]);
    await fc.assert(
      fc.asyncProperty(inputArb, fc.boolean(), async (input, inline) => {
        h.standIn.calls.length = 0;
        const logsBefore = h.logs.join('');
        const confirmedBefore = pendingConfirmed;
        const sent = await send(h, CONFIRM_SIGN_UP_MUTATION, input, inline);
        if (sent.res.body?.data?.confirmSignUp) pendingConfirmed = true;
        const verdict = classifyConfirmSignUp(input);
        if (expectRouted(h, sent, verdict, () => expectedConfirmSignUpRequest(h, input))) {
          outcomes.accepted++;
          // The stand-in's answer for this user and code: unknown, confirmed already, right code, wrong one.
          const expected =
            input.username === UNKNOWN_USER
              ? 'USER_NOT_FOUND'
              : confirmedBefore
                ? 'ALREADY_CONFIRMED'
                : input.confirmationCode === pendingCode
                  ? undefined
                  : 'CODE_MISMATCH';
          const text = JSON.stringify(sent.res.body);
          expect(sent.res.status, text).toBe(200);
          if (expected === undefined) {
            expect(sent.res.body, text).toEqual({
              data: { confirmSignUp: { confirmed: true, session: expect.any(String) } },
            });
          } else {
            expect(codesOf(sent.res), text).toEqual([expected]);
            expect(sent.res.body.data ?? null, text).toBeNull();
          }
        } else {
          outcomes.refused++;
        }
        expectValidUpstreamCalls(h);
        expectNotQuoted(sent.res, input.confirmationCode, 'confirmation code', vocabulary);
        expectNoEcho(sent.res, stringLeaves(input), vocabulary, objectKeys(input));
        if (expectNotLogged(h, input.confirmationCode, logsBefore, 'confirmation code')) {
          secrets.push(input.confirmationCode as string);
        }
      }),
      params(200),
    );
    for (const secret of secrets) expectNotLogged(h, secret, '', 'confirmation code');
    expect(outcomes.accepted, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);
});
