// The ops port (OPS_PORT: /healthz, /readyz, /metrics) is where the kubelet and Prometheus ask whether
// the gateway lives: if one host can hold every connection it accepts, every probe fails and the orchestrator
// restarts or drains a healthy gateway. An attacker on one address, then on many, opens idle or slow
// connections; a probe from another address (127.0.0.2, as the kubelet from its node's) must still be
// answered at once. Real sockets on loopback.
import { request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';

/** More than the port allows in all (32), from one address. */
const FLOOD = 64;

function opsPort(h: Harness): number {
  const address = h.gateway.opsServer?.address() as AddressInfo | undefined;
  if (!address) throw new Error('no ops port');
  return address.port;
}

/** Resolves once the ops server has seen every connection close. */
async function drained(h: Harness): Promise<void> {
  const server = h.gateway.opsServer;
  for (;;) {
    const count = await new Promise<number>(
      (resolve) => server?.getConnections((_, n) => resolve(n)) ?? resolve(0),
    );
    if (count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens a connection from `localAddress` and resolves once it is established (or has failed). */
function open(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => resolve(socket));
  });
}

/** How many of `sockets` the server has not closed, once it has had `ms` to close them. */
async function stillOpen(sockets: Socket[], ms = 200): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
}

/** GET `path` from `localAddress` on a fresh connection: the status, or the error, and how long it took. */
function probe(port: number, path: string, localAddress: string) {
  const started = performance.now();
  return new Promise<{ status: number | string; ms: number }>((resolve) => {
    const done = (status: number | string) =>
      resolve({ status, ms: Math.round(performance.now() - started) });
    const req = request(
      { host: '127.0.0.1', port, path, localAddress, agent: false, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end();
  });
}

describe('the ops port under a connection flood', () => {
  let h: Harness;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    h = await startHarness({ env: { OPS_PORT: '0' } });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await drained(h);
  });
  afterAll(() => h.close());

  it(`still answers another address's probes while one address holds ${FLOOD} idle connections`, async () => {
    const port = opsPort(h);
    for (let i = 0; i < FLOOD; i++) sockets.push(await open(port, '127.0.0.1'));
    const held = await stillOpen(sockets);
    const probes = [];
    for (const path of ['/readyz', '/healthz', '/metrics']) probes.push(await probe(port, path, '127.0.0.2'));
    console.log(
      `ops port, one address: it holds ${held} of ${FLOOD} connections; probes from another: ${JSON.stringify(probes)}`,
    );
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200]);
    for (const p of probes) expect(p.ms).toBeLessThan(1_000);
    // One address gets a few connections, not the port.
    expect(held).toBeLessThanOrEqual(8);
  });

  it('still answers a probe while 40 addresses hold every connection they can, idle', async () => {
    const port = opsPort(h);
    for (let a = 1; a <= 40; a++) for (let i = 0; i < 8; i++) sockets.push(await open(port, `127.0.1.${a}`));
    const held = await stillOpen(sockets);
    const probes = [];
    for (let i = 0; i < 5; i++) probes.push(await probe(port, '/readyz', '127.0.0.2'));
    console.log(
      `ops port, 40 addresses: they hold ${held} of ${sockets.length} connections; probes from another: ${JSON.stringify(probes)}`,
    );
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    for (const p of probes) expect(p.ms).toBeLessThan(1_000);
    expect(held).toBeLessThanOrEqual(32);
  });

  it('still answers a probe while 40 addresses hold every connection they can, each kept alive after a request', async () => {
    const port = opsPort(h);
    for (let a = 1; a <= 40; a++)
      for (let i = 0; i < 8; i++) {
        const socket = await open(port, `127.0.2.${a}`);
        socket.write('GET /healthz HTTP/1.1\r\nHost: ops\r\n\r\n');
        sockets.push(socket);
      }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const probes = [];
    for (let i = 0; i < 5; i++) probes.push(await probe(port, '/readyz', '127.0.0.2'));
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    for (const p of probes) expect(p.ms).toBeLessThan(1_000);
  });

  it('closes a connection that is slow to send its request line and headers within about 3 s', async () => {
    const port = opsPort(h);
    const slow = await open(port, '127.0.0.3');
    sockets.push(slow);
    const started = performance.now();
    const closed = new Promise<number>((resolve) =>
      slow.once('close', () => resolve(performance.now() - started)),
    );
    slow.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.writable && slow.write('X-Slow: 1\r\n'), 200);
    const ms = await closed;
    clearInterval(drip);
    console.log(`ops port: a slow request was closed after ${Math.round(ms)} ms`);
    // Closed by the timeout (checked once a second), not refused at once.
    expect(ms).toBeGreaterThan(1_000);
    expect(ms).toBeLessThan(4_500);
  });
});
