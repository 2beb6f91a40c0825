// An open-loop load at a fixed rate (e.g. 100 requests per second), timed per request with the monotonic
// clock in fractions of a millisecond: what a user's call pays at a realistic rate, where autocannon's
// whole-millisecond latencies and closed loop would hide a sub-millisecond difference. Requests are sent on
// schedule whether or not earlier ones have answered; each answer must be the expected body.
import { Agent, request } from 'node:http';

export interface FixedRateResult {
  latenciesMs: number[];
  /** Answers that were not 200 with the expected body, and requests that failed. */
  failures: number;
}

export async function fixedRate(options: {
  url: string;
  body: string;
  expectedBody: string;
  ratePerSecond: number;
  seconds: number;
}): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const target = new URL(options.url);
  const total = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
  const intervalMs = 1000 / options.ratePerSecond;
  const latenciesMs: number[] = [];
  let failures = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            latenciesMs.push(performance.now() - started);
            if (res.statusCode !== 200 || Buffer.concat(chunks).toString('utf8') !== options.expectedBody)
              failures += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failures += 1;
        resolve();
      });
      req.end(options.body);
    });
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one());
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs, failures };
}

/** The nearest-rank percentile (p in 0..100) of some values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
