// Property-based tests over real HTTP against the gateway and the local stand-in:
// any body, and resendConfirmationCode's usernames and metadata.
// Whatever comes in, the answer is JSON of the documented shape with a documented code and no internals,
// invalid input never reaches Cognito, what does reach it satisfies Cognito's rules, and no value sent is
// quoted back or logged. A failing property prints fast-check's shrunk counterexample and seed;
// FUZZ_SEED=<seed> replays a run, FUZZ_SEED=random explores beyond the fixed seed CI uses.

import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { phoneRefusal, phoneUsername } from '../../../src/spend-guard/phone-policy';
import {
  clientMetadataArb,
  jsonBodyArb,
  rawBodyArb,
  userContextDataArb,
  usernameArb,
} from '../../support/fuzz-arbitraries';
import {
  BODY_LIMIT_BYTES,
  byteLength,
  classifyResend,
  codesOf,
  collectVocabulary,
  expectBadUserInput,
  expectDeliveredOrUnknownUser,
  expectedRequest,
  expectNoEcho,
  expectNotQuoted,
  expectRouted,
  expectValidUpstreamCalls,
  expectWellFormed,
  firstCallBody,
  isPlainObject,
  isValidUsername,
  objectKeys,
  params,
  post,
  RESEND_MUTATION,
  send,
  stringLeaves,
  UNKNOWN_USER,
} from '../../support/fuzz-checks';
import { type Harness, startHarness } from '../../support/gateway-harness';
import { resend } from '../../support/user-pool-requests';

describe('fuzzing the gateway over HTTP', () => {
  let h: Harness;
  /** Text the gateway answers with for inputs that hold no such value: quoting it is not an echo. */
  let vocabulary = '';

  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '5000' } });
    vocabulary = await collectVocabulary(h);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.standIn.calls.length = 0;
  });

  it('answers any JSON body with a well-formed response, a documented code and no internals', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBodyArb, async (body) => {
        h.standIn.calls.length = 0;
        const text = JSON.stringify(body);
        const res = await post(h, text);
        expectWellFormed(res, text);
        if (byteLength(text) > BODY_LIMIT_BYTES) {
          expect(res.status).toBe(413);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        }
        // Values sent in variables are never quoted back (keys may be: they name fields).
        if (isPlainObject(body) && body.variables !== undefined) {
          expectNoEcho(res, stringLeaves(body.variables), vocabulary, objectKeys(body.variables));
        }
        expectValidUpstreamCalls(h);
      }),
      params(300),
    );
  }, 30_000);

  it('answers bodies that are not JSON with 400 BAD_REQUEST as JSON, and everything else well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(rawBodyArb, async (raw) => {
        h.standIn.calls.length = 0;
        const res = await post(h, raw);
        expectWellFormed(res, raw);
        // What the server receives: UTF-8 with lone surrogates replaced; the body parser drops a leading BOM.
        const received = Buffer.from(raw, 'utf8')
          .toString('utf8')
          .replace(/^\uFEFF/, '');
        let parses = true;
        try {
          JSON.parse(received);
        } catch {
          parses = false;
        }
        if (byteLength(received) > BODY_LIMIT_BYTES) {
          expect(res.status, JSON.stringify(res.body)).toBe(413);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        } else if (!parses && received !== '') {
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        }
        expectValidUpstreamCalls(h);
      }),
      params(250),
    );
  }, 30_000);

  const OPEN_POLICY = { blockedCountries: new Set<string>() };

  it('sends Cognito only valid usernames, refuses the rest with BAD_USER_INPUT, and never echoes one', async () => {
    await fc.assert(
      fc.asyncProperty(usernameArb, async (username) => {
        h.standIn.calls.length = 0;
        const res = await post(h, resend({ username }));
        expectWellFormed(res, '');
        if (
          isValidUsername(username) &&
          phoneUsername(username).length > 0 &&
          phoneRefusal(username, OPEN_POLICY)
        ) {
          // A username written as a phone number passes the phone policy first.
          expect(res.body.errors?.[0]?.extensions.code).toBe('PHONE_NUMBER_NOT_ALLOWED');
          expect(h.standIn.calls, 'a refused number reached Cognito').toHaveLength(0);
        } else if (isValidUsername(username)) {
          expectDeliveredOrUnknownUser(res);
          expect(h.standIn.calls).toHaveLength(1);
          expect(firstCallBody(h)).toEqual(expectedRequest(h, { username }));
        } else {
          expectBadUserInput(res, 200);
          expect(h.standIn.calls, 'an invalid username reached Cognito').toHaveLength(0);
        }
        expectValidUpstreamCalls(h);
        expectNotQuoted(res, username, 'username', vocabulary);
        expectNoEcho(res, [username], vocabulary, new Set());
      }),
      params(300),
    );
  }, 30_000);

  it('sends Cognito only metadata within its limits and refuses the rest without calling it', async () => {
    const inputArb = fc.record(
      {
        username: fc.constant(UNKNOWN_USER),
        clientMetadata: clientMetadataArb,
        userContextData: userContextDataArb,
      },
      { requiredKeys: ['username'] },
    );
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        h.standIn.calls.length = 0;
        const sent = await send(h, RESEND_MUTATION, input, false);
        if (expectRouted(h, sent, classifyResend(input), () => expectedRequest(h, input))) {
          expectDeliveredOrUnknownUser(sent.res);
        }
        expectValidUpstreamCalls(h);
        expectNoEcho(
          sent.res,
          stringLeaves([input.clientMetadata, input.userContextData]),
          vocabulary,
          objectKeys([input.clientMetadata, input.userContextData]),
        );
      }),
      params(250),
    );
  }, 30_000);
});
