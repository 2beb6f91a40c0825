// `npm run bench`: the production gateway against the bare baseline handler, both calling a fixed-response
// Cognito stub over the same SDK client settings. Alternating rounds (order reversed each round), autocannon
// at each connection count after a warm-up, CPU and RSS read from each server process. Writes
// results.json, results.md and ratios.svg. Loopback only; every run is bounded by its duration.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { oneLine, RESEND_CONFIRMATION_CODE } from '../src/user-pool-calls/operations';
import { coldStartMs, cpuMs, rssMb, type ServerProcess, startServer } from './measure';
import {
  markdown,
  median,
  medianRatios,
  type Report,
  roundRatios,
  type Sample,
  summarise,
  svgChart,
} from './report';

export interface BenchOptions {
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number[];
  coldStarts: number;
  outDir: string;
  log: (line: string) => void;
}

// Runs compiled (dist/bench/run.js) or from source in tests (bench/run.ts); the servers always run compiled.
const ROOT = existsSync(join(__dirname, '..', 'tsconfig.json'))
  ? join(__dirname, '..')
  : join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const SCRIPTS = {
  stub: join(DIST, 'bench', 'cognito-stub.js'),
  gateway: join(DIST, 'src', 'main.js'),
  baseline: join(DIST, 'bench', 'baseline.js'),
};

/** The gateway runs with the Node flags of `npm start`, as in production. */
const GATEWAY_NODE_FLAGS = startScriptFlags();

function startScriptFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export const BODY = JSON.stringify({
  query: oneLine(RESEND_CONFIRMATION_CODE),
  variables: { input: { username: 'bench.user@example.com' } },
});

function serverEnv(stubUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: 'us-east-1_Bench0001',
    COGNITO_CLIENT_ID: 'benchclient0000000000000000',
    COGNITO_CLIENT_SECRET: 'benchsecret0000000000000000000000000000000000000000',
    COGNITO_ENDPOINT: stubUrl,
    // Every protection stays on; the limits are only set high enough not to refuse one repeated username.
    LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '0',
    LIMIT_RESEND_USERNAME_PER_HOUR: '1000000',
    LIMIT_RESEND_IP_PER_HOUR: '1000000',
  };
}

function load(url: string, connections: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    connections,
    duration: seconds,
  });
}

async function measure(
  server: ServerProcess,
  name: Sample['server'],
  round: number,
  connections: number,
  o: BenchOptions,
): Promise<Sample> {
  if (o.warmupSeconds > 0) await load(server.url, connections, o.warmupSeconds);
  const cpuBefore = cpuMs(server.pid);
  const result = await load(server.url, connections, o.durationSeconds);
  const cpuAfter = cpuMs(server.pid);
  const served = result.requests.total;
  const sample: Sample = {
    round,
    server: name,
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: served > 0 ? (cpuAfter - cpuBefore) / served : Number.NaN,
    rssMb: rssMb(server.pid),
    requests: served,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  o.log(
    `round ${round} ${name.padEnd(8)} c=${connections}: ${sample.requestsPerSecond.toFixed(0)} req/s, p50 ${sample.p50Ms} ms, p99 ${sample.p99Ms} ms, ${sample.cpuMsPerRequest.toFixed(3)} CPU ms/req, RSS ${sample.rssMb.toFixed(0)} MB${sample.non2xx || sample.errors ? `, ${sample.non2xx} non-2xx, ${sample.errors} errors` : ''}`,
  );
  return sample;
}

async function checkAnswers(url: string, name: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  const json = (await res.json()) as {
    data?: { resendConfirmationCode?: { codeDeliveryDetails?: unknown } };
  };
  if (!json.data?.resendConfirmationCode?.codeDeliveryDetails) {
    throw new Error(`${name} did not answer the mutation: ${res.status} ${JSON.stringify(json)}`);
  }
}

export async function runBench(o: BenchOptions): Promise<Report> {
  const stub = await startServer(SCRIPTS.stub, {});
  const env = serverEnv(stub.url);
  const servers: ServerProcess[] = [];
  try {
    const cold = { gateway: [] as number[], baseline: [] as number[] };
    for (let i = 0; i < o.coldStarts; i++) {
      cold.gateway.push(await coldStartMs(SCRIPTS.gateway, env, BODY, GATEWAY_NODE_FLAGS));
      cold.baseline.push(await coldStartMs(SCRIPTS.baseline, env, BODY));
    }
    const coldStart = { gateway: median(cold.gateway), baseline: median(cold.baseline) };
    o.log(
      `cold start (median of ${o.coldStarts}): gateway ${coldStart.gateway.toFixed(0)} ms, baseline ${coldStart.baseline.toFixed(0)} ms`,
    );

    const gateway = await startServer(SCRIPTS.gateway, env, GATEWAY_NODE_FLAGS);
    servers.push(gateway);
    const baseline = await startServer(SCRIPTS.baseline, env);
    servers.push(baseline);
    await checkAnswers(gateway.url, 'gateway');
    await checkAnswers(baseline.url, 'baseline');

    const samples: Sample[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const order: Array<[Sample['server'], ServerProcess]> = [
        ['gateway', gateway],
        ['baseline', baseline],
      ];
      if (round % 2 === 0) order.reverse();
      for (const connections of o.connections) {
        for (const [name, server] of order) samples.push(await measure(server, name, round, connections, o));
      }
    }

    const ratios = roundRatios(samples);
    const report: Report = {
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        date: new Date().toISOString().slice(0, 10),
      },
      settings: {
        rounds: o.rounds,
        durationSeconds: o.durationSeconds,
        warmupSeconds: o.warmupSeconds,
        connections: o.connections,
      },
      coldStartMs: coldStart,
      summaries: summarise(samples),
      ratios,
      medianRatios: medianRatios(ratios),
      samples,
    };
    mkdirSync(o.outDir, { recursive: true });
    writeFileSync(join(o.outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(o.outDir, 'results.md'), markdown(report));
    writeFileSync(join(o.outDir, 'ratios.svg'), svgChart(report));
    return report;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await stub.stop();
  }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

if (require.main === module) {
  const options: BenchOptions = {
    rounds: Number(option('rounds', '3')),
    durationSeconds: Number(option('duration', '10')),
    warmupSeconds: Number(option('warmup', '3')),
    connections: option('connections', '10,50').split(',').map(Number),
    coldStarts: Number(option('cold-starts', '3')),
    outDir: option('out', join(ROOT, 'bench')),
    log: (line) => console.log(line),
  };
  runBench(options)
    .then((report) => {
      console.log(`\n${markdown(report)}`);
      console.log(`wrote ${join(options.outDir, 'results.md')}, results.json and ratios.svg`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
