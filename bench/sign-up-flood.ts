// The memory a sign-up flood costs the whole gateway, as the outside attack run measured it:
// `node dist/bench/sign-up-flood.js [count] [--max-mb=N]` starts the built gateway as `npm start` does
// (production, in-memory limits, LIMIT_MEMORY_MAX_MB=N when given) against a fixed-answer Cognito stub, signs
// up `count` (200,000) distinct users from as many client IPs (X-Forwarded-For through TRUST_PROXY=1), each
// with its own email address, and reports the gateway's RSS and V8 heap (from its /metrics) after a 1,000
// sign-up warm-up, at the end, and 30 s later. `--one-caller`: every sign-up from one IP, for one username and
// address (their limits raised), so that the store holds nothing new: what the same requests cost the gateway
// anyway. The send budgets are raised so that no sign-up is refused by them. A measurement to read: nothing is
// asserted.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { oneLine, SIGN_UP } from '../src/user-pool-calls/documents';
import { rssMb, startScriptEntry, startScriptFlags, startServer } from './measure';

const ROOT = existsSync(join(__dirname, '..', 'tsconfig.json'))
  ? join(__dirname, '..')
  : join(__dirname, '..', '..');
const CONCURRENCY = 32;

/** A SignUp answer with an email delivery, whatever was asked. */
function startStub(): Promise<{ url: string; close: () => void }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      const body = JSON.stringify({
        UserConfirmed: false,
        UserSub: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        CodeDeliveryDetails: { Destination: 'u***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'flood' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

function ipOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
  const maxMb = args.find((a) => a.startsWith('--max-mb='))?.slice('--max-mb='.length);
  const oneCaller = args.includes('--one-caller');
  const who = (i: number) => (oneCaller ? 0 : i);
  const stub = await startStub();
  const gateway = await startServer(
    startScriptEntry(ROOT),
    {
      NODE_ENV: 'production',
      SESSION_KEYS: 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: 'us-east-1_Flood0001',
      COGNITO_CLIENT_ID: 'floodclient0000000000000000',
      COGNITO_CLIENT_SECRET: 'floodsecret0000000000000000000000000000000000000000',
      COGNITO_ENDPOINT: stub.url,
      TRUST_PROXY: '1',
      LIMIT_EMAIL_PER_HOUR: '1000000',
      ...(maxMb !== undefined && { LIMIT_MEMORY_MAX_MB: maxMb }),
      ...(oneCaller && { LIMIT_SIGN_UP_IP_PER_HOUR: '1000000', LIMIT_DESTINATION_PER_HOUR: '1000000' }),
    },
    startScriptFlags(ROOT),
  );
  const codes = new Map<string, number>();
  const signUp = async (i: number) => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ipOf(who(i)) },
      body: JSON.stringify({
        query: oneLine(SIGN_UP),
        variables: {
          input: {
            username: `flood.${who(i)}`,
            password: 'Flood-Passw0rd!',
            userAttributes: [{ name: 'email', value: `flood.${who(i)}@example.com` }],
          },
        },
      }),
    });
    const json = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    const code = json.errors?.[0]?.extensions?.code ?? 'OK';
    codes.set(code, (codes.get(code) ?? 0) + 1);
  };
  const run = async (from: number, to: number) => {
    let next = from;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < to) await signUp(next++);
      }),
    );
  };
  /** The gateway's V8 heap in use and its limit store's estimate, as its /metrics says (MB). */
  const heap = async () => {
    const text = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    const sample = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? Number.NaN : Number(line.slice(series.length + 1)) / 1024 / 1024;
    };
    return {
      used: sample('nodejs_heap_size_used_bytes'),
      total: sample('nodejs_heap_size_total_bytes'),
      store:
        sample('gateway_limit_memory_bytes{part="counters"}') +
        sample('gateway_limit_memory_bytes{part="links"}'),
    };
  };
  try {
    await run(count, count + 1_000);
    const before = rssMb(gateway.pid);
    const heapBefore = await heap();
    const started = performance.now();
    await run(0, count);
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = rssMb(gateway.pid);
    const heapAfter = await heap();
    // Idle, V8 collects and gives back pages it no longer needs (its memory reducer).
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const idle = rssMb(gateway.pid);
    const heapIdle = await heap();
    console.log(`sign-ups: ${count} in ${seconds.toFixed(0)} s (${(count / seconds).toFixed(0)}/s)`);
    console.log(`answers: ${JSON.stringify(Object.fromEntries(codes))}`);
    console.log(
      `gateway RSS: ${before.toFixed(0)} -> ${after.toFixed(0)} MB (+${(after - before).toFixed(0)} MB)`,
    );
    console.log(
      `gateway heap used (total): ${heapBefore.used.toFixed(0)} (${heapBefore.total.toFixed(0)}) -> ${heapAfter.used.toFixed(0)} (${heapAfter.total.toFixed(0)}) MB; limit store's estimate ${heapAfter.store.toFixed(0)} MB`,
    );
    console.log(
      `30 s later, idle: RSS ${idle.toFixed(0)} MB, heap used (total) ${heapIdle.used.toFixed(0)} (${heapIdle.total.toFixed(0)}) MB`,
    );
  } finally {
    await gateway.stop();
    stub.close();
  }
}

void main();
