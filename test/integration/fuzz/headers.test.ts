// Property-based tests over real HTTP against the gateway and the local stand-in:
// X-Forwarded-For and analytics headers.
// Whatever comes in, the answer is JSON of the documented shape with a documented code and no internals,
// invalid input never reaches Cognito, what does reach it satisfies Cognito's rules, and no value sent is
// quoted back or logged. A failing property prints fast-check's shrunk counterexample and seed;
// FUZZ_SEED=<seed> replays a run, FUZZ_SEED=random explores beyond the fixed seed CI uses.
import { isIP } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../src/http/client-ip';
import { analyticsHeaderArb, forwardedForArb } from '../../support/fuzz-arbitraries';
import {
  ENDPOINT_ID,
  expectDeliveredOrUnknownUser,
  expectValidUpstreamCalls,
  expectWellFormed,
  firstCallBody,
  params,
  post,
  UNKNOWN_USER,
} from '../../support/fuzz-checks';
import { type Harness, startHarness } from '../../support/gateway-harness';
import { RESEND_CONFIRMATION_CODE } from '../../support/user-pool-requests';

describe('fuzzing the gateway headers over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        GRAPHQL_MAX_TOKENS: '5000',
        ANALYTICS_ENABLED: 'true',
        SEND_USER_CONTEXT_IP: 'true',
        // The test's loopback connection counts as a trusted proxy, so X-Forwarded-For is actually parsed.
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => h.close());

  it('survives any X-Forwarded-For and analytics header, and sends only valid analytics endpoint ids', async () => {
    const headersArb = fc.record(
      { 'x-forwarded-for': forwardedForArb, 'x-analytics-endpoint-id': analyticsHeaderArb },
      { requiredKeys: [] },
    );
    const outcomes = { refused: 0, served: 0 };
    await fc.assert(
      fc.asyncProperty(headersArb, async (headers) => {
        h.standIn.calls.length = 0;
        const body = { query: RESEND_CONFIRMATION_CODE, variables: { input: { username: UNKNOWN_USER } } };
        const res = await post(h, body, headers);
        expectWellFormed(res, JSON.stringify(headers));
        // Through loopback proxies, the client is the rightmost forwarded entry that is not loopback (or the
        // leftmost when all are); when that entry is not an address, the caller has none and is refused.
        // (Entries split as proxy-addr splits them: on commas, spaces trimmed, empty ones dropped.)
        const hops = (headers['x-forwarded-for'] ?? '')
          .split(',')
          .map((e) => e.replace(/^ +| +$/g, ''))
          .filter((e) => e !== '');
        const client = [...hops].reverse().find((e) => !isLoopback(e)) ?? hops[0];
        if (client !== undefined && canonicalIp(client) === undefined) {
          expect(res.body.errors?.[0]?.extensions.code, JSON.stringify(headers)).toBe('FORBIDDEN');
          expect(h.standIn.calls).toHaveLength(0);
          outcomes.refused += 1;
          return;
        }
        outcomes.served += 1;
        expectDeliveredOrUnknownUser(res);
        expect(h.standIn.calls).toHaveLength(1);
        expectValidUpstreamCalls(h);
        const sent = firstCallBody(h);
        const header = headers['x-analytics-endpoint-id']?.trim();
        if (header !== undefined && ENDPOINT_ID.test(header)) {
          expect(sent.AnalyticsMetadata).toEqual({ AnalyticsEndpointId: header });
        } else {
          expect(sent.AnalyticsMetadata).toBeUndefined();
        }
        // Junk in X-Forwarded-For, even through a trusted proxy, never becomes the caller's address.
        const ip = sent.UserContextData?.IpAddress;
        expect(
          typeof ip === 'string' && isIP(ip) !== 0,
          `IpAddress ${JSON.stringify(ip)} is an IP address`,
        ).toBe(true);
      }),
      params(250),
    );
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.served, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);
});

/** What proxy-addr trusts under TRUST_PROXY=loopback: a plain address in a loopback range. */
function isLoopback(entry: string): boolean {
  return ipaddr.isValid(entry) && ipaddr.process(entry).range() === 'loopback';
}
