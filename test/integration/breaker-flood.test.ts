// An attacker floods the gateway while Cognito hangs: calls past COGNITO_MAX_IN_FLIGHT are refused, and
// the refusals must not hide the failures of the calls that really ran, or the breaker never opens and
// every wave sends more calls upstream. Counts what reached the (hanging) upstream.
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

const WAVE = 600;

describe('a flood past the in-flight cap while Cognito hangs', () => {
  let h: Harness;
  let blackHole: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    blackHole = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    h = await startHarness({
      // Production-like: one client IP per request through a trusted proxy, a cap far below the wave.
      env: { TRUST_PROXY: 'loopback', COGNITO_MAX_IN_FLIGHT: '50' },
      cognito: { endpoint: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}` },
    });
  });
  afterAll(async () => {
    await h.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  const wave = (round: number) =>
    Promise.all(
      Array.from({ length: WAVE }, (_, i) =>
        h.graphql(resend({ username: `flood.${round}.${i}` }), {
          'x-forwarded-for': `198.51.${100 + round}.${i % 250}`,
        }),
      ),
    );

  it('opens the breaker after the first wave; the second sends nothing upstream and answers at once', async () => {
    const first = await wave(1);
    const codes = new Set(first.map((r) => r.body.errors?.[0]?.extensions.code));
    expect([...codes]).toEqual(['UPSTREAM_UNAVAILABLE']);
    // A connection the SDK opened as the first wave timed out can be accepted just after its answer: count
    // once the number has stayed the same for 300 ms.
    let connectionsAfterFirst = -1;
    while (connectionsAfterFirst !== sockets.length) {
      connectionsAfterFirst = sockets.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(connectionsAfterFirst).toBeGreaterThan(0);
    expect(h.logs.some((l) => l.includes('cognito circuit open'))).toBe(true);

    const started = performance.now();
    const second = await wave(2);
    const secondMs = performance.now() - started;
    expect(second.every((r) => r.body.errors?.[0]?.extensions.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(sockets.length).toBe(connectionsAfterFirst);
    // 600 answers, and none of them waited for Cognito's 3 s timeout.
    expect(secondMs).toBeLessThan(3_000);

    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const res = await h.graphql(resend({ username: `late.${i}` }), { 'x-forwarded-for': `203.0.113.${i}` });
      latencies.push(performance.now() - t);
      expect(res.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    }
    // Measured (printed below) well under 100 ms on an idle machine; asserted only as "never waits for
    // Cognito's 3 s timeout", so that a loaded CI machine cannot fail it.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(sockets.length).toBe(connectionsAfterFirst);
    console.log(
      `breaker flood: wave 1 opened ${connectionsAfterFirst} upstream connections; wave 2 opened ${sockets.length - connectionsAfterFirst} and took ${Math.round(secondMs)} ms for ${WAVE} answers; open-breaker answers max ${Math.round(Math.max(...latencies))} ms`,
    );
  });
});

describe('a burst past the in-flight cap while Cognito is healthy but slow', () => {
  let h: Harness;
  beforeAll(async () => {
    // Behind a proxy, as a deployment that sees bursts is: 100 connections from one peer.
    h = await startHarness({ env: { COGNITO_MAX_IN_FLIGHT: '10', TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => h.close());

  it('refuses the excess with UPSTREAM_UNAVAILABLE without opening the breaker', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `burst.${i}`);
    for (const name of names) await h.signUp(name);
    // Slow enough that all 100 arrive while the first ones are still in flight, even on a loaded machine.
    h.standIn.faults.set({ latencyMs: 2_000 });
    h.standIn.calls.length = 0;
    const answers = await Promise.all(names.map((username) => h.graphql(resend({ username }))));
    h.standIn.faults.clear();
    const codes = answers.map((r) => r.body.errors?.[0]?.extensions.code ?? 'OK');
    // One action alone holds at most half of the cap: the other half stays free for the other actions.
    expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
    expect(codes.filter((c) => c === 'UPSTREAM_UNAVAILABLE')).toHaveLength(95);
    expect(h.standIn.calls.filter((c) => c.action === 'ResendConfirmationCode')).toHaveLength(5);
    // The refusals said nothing about Cognito's health: the breaker stays closed and the next call goes up.
    expect(h.logs.some((l) => l.includes('cognito circuit open'))).toBe(false);
    expect((await h.graphql(resend({ username: 'burst.0' }))).body.errors).toBeUndefined();
  });
});
