// `npm run bench`: the production gateway against the bare baseline handler, both calling a fixed-response
// Cognito stub over the same SDK client settings, every answer checked to be the mutation's data. First the
// cold starts (spawn to first answer, alternating), then rounds, each with a fresh pair of processes and the
// order reversed every round: RSS after a fixed number of requests, latency at a fixed rate (open loop, timed
// to fractions of a millisecond), then autocannon at each connection count after a warm-up, CPU and RSS read
// from each server process. Writes results.json, results.md and ratios.svg. Loopback only; every run is
// bounded by its duration.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { skipWithoutRedisCluster, startRedisCluster } from '../test/support/redis-cluster';
import { BODY } from './body';
import { fixedRate, percentile } from './fixed-rate';
import {
  coldStart,
  cpuMs,
  rssMb,
  type ServerProcess,
  startScriptEntry,
  startScriptFlags,
  startServer,
} from './measure';
import { commandCallsOf, commandsOf, findRedisServer, roundTripsOf, startBenchRedis } from './redis-server';
import {
  type BenchSettings,
  type ColdStarts,
  type LambdaInit,
  markdown,
  median,
  medianRatios,
  type Report,
  type RoundFootprint,
  roundRatios,
  type Sample,
  type StoreSample,
  summarise,
  svgChart,
  targetChecks,
} from './report';

export interface BenchOptions extends BenchSettings {
  outDir: string;
  log: (line: string) => void;
}

const execFileAsync = promisify(execFile);

// Runs compiled (dist/bench/run.js) or from source in tests (bench/run.ts); the servers always run compiled.
const ROOT = existsSync(join(__dirname, '..', 'tsconfig.json'))
  ? join(__dirname, '..')
  : join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const SCRIPTS: Record<'stub' | Sample['server'], string> = {
  stub: join(DIST, 'bench', 'cognito-stub.js'),
  // What `npm start` runs: the bundle (dist/server/index.js, scripts/server-bundle.js).
  gateway: startScriptEntry(ROOT),
  baseline: join(DIST, 'bench', 'baseline.js'),
};
const LAMBDA_INIT = join(DIST, 'bench', 'lambda-init.js');

/** The gateway runs with the Node flags of `npm start`, as in production. */
const GATEWAY_NODE_FLAGS = startScriptFlags(ROOT);

function serverEnv(stubUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    SESSION_KEYS: 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: 'us-east-1_Bench0001',
    COGNITO_CLIENT_ID: 'benchclient0000000000000000',
    COGNITO_CLIENT_SECRET: 'benchsecret0000000000000000000000000000000000000000',
    COGNITO_ENDPOINT: stubUrl,
    // Every protection stays on; the limits are only set high enough not to refuse one repeated username
    // (and its one inbox) from one address: each request still takes its points from every rule.
    LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '0',
    LIMIT_RESEND_USERNAME_PER_HOUR: '1000000',
    LIMIT_RESEND_IP_PER_HOUR: '1000000',
    LIMIT_DESTINATION_PER_HOUR: '1000000',
    LIMIT_EMAIL_PER_HOUR: '1000000',
    // The stub's user was never signed up through the gateway: its resends pay from the budget for unknown
    // destinations, and reserve the SMS budgets too (either medium is possible).
    LIMIT_UNKNOWN_DESTINATION_PER_HOUR: '1000000',
    LIMIT_SMS_PER_HOUR: '1000000',
    LIMIT_SMS_PER_COUNTRY_PER_HOUR: '1000000',
  };
}

function load(
  server: Measured,
  connections: number,
  run: { seconds: number } | { amount: number },
): Promise<autocannon.Result> {
  return autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    // A refusal (a limit, an error) answers 200 too: only the mutation's data counts as an answer.
    expectBody: server.expectedBody,
    connections,
    ...('amount' in run ? { amount: run.amount } : { duration: run.seconds }),
  });
}

interface Measured extends ServerProcess {
  name: Sample['server'];
  /** The server's own answer to BODY, checked to hold the mutation's data. */
  expectedBody: string;
}

/** Failed answers of an autocannon run: non-2xx, transport errors and answers other than the mutation's data. */
const failuresOf = (result: autocannon.Result) => result.non2xx + result.errors + result.mismatches;

async function saturate(
  server: Measured,
  round: number,
  connections: number,
  o: BenchOptions,
): Promise<Sample> {
  if (o.warmupSeconds > 0) await load(server, connections, { seconds: o.warmupSeconds });
  const cpuBefore = cpuMs(server.pid);
  const result = await load(server, connections, { seconds: o.durationSeconds });
  const cpuAfter = cpuMs(server.pid);
  const served = result.requests.total;
  const sample: Sample = {
    round,
    server: server.name,
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: served > 0 ? (cpuAfter - cpuBefore) / served : Number.NaN,
    rssMb: rssMb(server.pid),
    requests: served,
    non2xx: result.non2xx,
    errors: result.errors + result.mismatches,
  };
  o.log(
    `round ${round} ${server.name.padEnd(8)} c=${connections}: ${sample.requestsPerSecond.toFixed(0)} req/s, p50 ${sample.p50Ms} ms, p99 ${sample.p99Ms} ms, ${sample.cpuMsPerRequest.toFixed(3)} CPU ms/req, RSS ${sample.rssMb.toFixed(0)} MB${failuresOf(result) ? `, ${failuresOf(result)} failed` : ''}`,
  );
  return sample;
}

/** Starts a server and checks that it answers the mutation with data; its answer is what every later one must be. */
async function startMeasured(name: Sample['server'], env: Record<string, string>): Promise<Measured> {
  const server = await startServer(SCRIPTS[name], env, name === 'gateway' ? GATEWAY_NODE_FLAGS : []);
  try {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    const text = await res.text();
    const json = JSON.parse(text) as {
      data?: { resendConfirmationCode?: { codeDeliveryDetails?: unknown } };
    };
    if (!res.ok || !json.data?.resendConfirmationCode?.codeDeliveryDetails) {
      throw new Error(`${name} did not answer the mutation: ${res.status} ${text.slice(0, 500)}`);
    }
    return { ...server, name, expectedBody: text };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function footprint(server: Measured, round: number, o: BenchOptions): Promise<RoundFootprint> {
  const warm = await load(server, 10, { amount: o.rssRequests });
  const rssAfterRequestsMb = rssMb(server.pid);
  const rate = await fixedRate({
    url: server.url,
    body: BODY,
    expectedBody: server.expectedBody,
    ratePerSecond: o.ratePerSecond,
    seconds: o.rateSeconds,
  });
  const result: RoundFootprint = {
    round,
    server: server.name,
    rssAfterRequestsMb,
    rateP50Ms: percentile(rate.latenciesMs, 50),
    rateP99Ms: percentile(rate.latenciesMs, 99),
    rateFailures: rate.failures + failuresOf(warm),
  };
  o.log(
    `round ${round} ${server.name.padEnd(8)} RSS ${rssAfterRequestsMb.toFixed(0)} MB after ${o.rssRequests} requests; at ${o.ratePerSecond}/s p50 ${result.rateP50Ms.toFixed(3)} ms, p99 ${result.rateP99Ms.toFixed(3)} ms${result.rateFailures ? `, ${result.rateFailures} failed` : ''}`,
  );
  return result;
}

/**
 * Where the gateway's limits live in the store runs: in memory, in one Redis node, in a Redis cluster. Each
 * entry starts its store (or says why it cannot) and gives the gateway's environment for it.
 */
interface StoreEntry {
  name: string;
  start(): Promise<
    | { skipped: string }
    | {
        env: Record<string, string>;
        /** Commands Redis ran since the last reset, by name. */
        commandCalls?: () => Promise<Map<string, number>>;
        resetStats?: () => Promise<void>;
        stop(): Promise<void>;
      }
  >;
}

const STORES: StoreEntry[] = [
  { name: 'memory', start: async () => ({ env: {}, stop: async () => {} }) },
  {
    name: 'redis (one node)',
    start: async () => {
      const found = findRedisServer();
      if ('missing' in found) return { skipped: found.missing };
      const redis = await startBenchRedis(found.path);
      return {
        env: { REDIS_URL: redis.url },
        commandCalls: redis.commandCalls,
        resetStats: redis.resetStats,
        stop: redis.stop,
      };
    },
  },
  {
    // The local cluster of the integration tests (Debian's redis-server and redis-cli), without replicas.
    name: 'redis (three-master cluster)',
    start: async () => {
      if (skipWithoutRedisCluster('npm run bench')) return { skipped: 'no redis-server or redis-cli' };
      const cluster = await startRedisCluster({ replicas: 0 });
      const onEveryNode = (...args: string[]) =>
        Promise.all(cluster.nodes.map((node) => cluster.command(node, ...args)));
      return {
        env: { REDIS_MODE: 'cluster', REDIS_URL: cluster.url },
        commandCalls: async () => commandCallsOf((await onEveryNode('INFO', 'commandstats')).map(String)),
        resetStats: async () => {
          await onEveryNode('CONFIG', 'RESETSTAT');
        },
        stop: cluster.stop,
      };
    },
  },
];

/**
 * One short load of the gateway on each store, in the same run: req/s, CPU per request and, with Redis, the
 * round trips and commands a call costs (INFO commandstats, reset after the warm-up).
 */
async function storeRuns(env: Record<string, string>, o: BenchOptions): Promise<StoreSample[]> {
  const samples: StoreSample[] = [];
  for (const entry of STORES) {
    const store = await entry.start();
    if ('skipped' in store) {
      o.log(`store ${entry.name}: SKIPPED, ${store.skipped}`);
      samples.push({ store: entry.name, skipped: store.skipped });
      continue;
    }
    let server: Measured | undefined;
    try {
      server = await startMeasured('gateway', { ...env, ...store.env });
      await load(server, o.storeConnections, { seconds: 1 });
      await store.resetStats?.();
      const cpuBefore = cpuMs(server.pid);
      const result = await load(server, o.storeConnections, { seconds: o.storeSeconds });
      const cpu = cpuMs(server.pid) - cpuBefore;
      const calls = await store.commandCalls?.();
      const served = result.requests.total;
      const sample: StoreSample = {
        store: entry.name,
        requestsPerSecond: result.requests.average,
        cpuMsPerRequest: served > 0 ? cpu / served : Number.NaN,
        p99Ms: result.latency.p99,
        requests: served,
        failed: failuresOf(result),
        ...(calls && {
          roundTripsPerCall: roundTripsOf(calls) / served,
          commandsPerCall: commandsOf(calls) / served,
          commands: Object.fromEntries(calls),
        }),
      };
      o.log(
        `store ${entry.name}: ${sample.requestsPerSecond?.toFixed(0)} req/s, ${sample.cpuMsPerRequest?.toFixed(3)} CPU ms/req, p99 ${sample.p99Ms} ms${calls ? `, ${sample.roundTripsPerCall?.toFixed(2)} round trips and ${sample.commandsPerCall?.toFixed(1)} Redis commands per call` : ''}${sample.failed ? `, ${sample.failed} failed` : ''}`,
      );
      samples.push(sample);
    } finally {
      await server?.stop();
      await store.stop();
    }
  }
  return samples;
}

function coldStarts(runs: Array<{ ms: number; idleRssMb: number; cpuMs: number }>): ColdStarts {
  return {
    runsMs: runs.map((r) => r.ms),
    medianMs: median(runs.map((r) => r.ms)),
    idleRssMb: median(runs.map((r) => r.idleRssMb)),
    cpuMedianMs: median(runs.map((r) => r.cpuMs)),
  };
}

/** The bundles the Lambda rows measure: the gateway's, as `npm run package:lambda` makes it, and the floor's. */
async function lambdaBundles(): Promise<{ gateway: string; bare: string }> {
  const { packageLambda } = require(join(ROOT, 'scripts', 'package-lambda.js')) as {
    packageLambda(
      outdir: string,
      options?: { entry?: string; request?: boolean },
    ): Promise<{ bytes: number }>;
  };
  // Both packaged alike: the bundle, its loader and code caches warmed by the same resend.
  await packageLambda(join(DIST, 'lambda'));
  await packageLambda(join(DIST, 'bench-lambda'), { entry: join(DIST, 'bench', 'bare-lambda-handler.js') });
  return { gateway: join(DIST, 'lambda', 'index.js'), bare: join(DIST, 'bench-lambda', 'index.js') };
}

/** One Lambda handler init, in a fresh process: require() to first answer, require() alone, spawn to answer. */
interface InitRun {
  firstAnswerMs: number;
  requireMs: number;
  spawnMs: number;
}

/** A Lambda handler's init (the built one, or the file `handler` names) in one fresh process. */
async function measureInit(env: Record<string, string>, handler?: string): Promise<InitRun> {
  const started = performance.now();
  const { stdout } = await execFileAsync(process.execPath, [LAMBDA_INIT, ...(handler ? [handler] : [])], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const spawnMs = performance.now() - started;
  const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    ok?: boolean;
    requireMs?: number;
    firstAnswerMs?: number;
  };
  if (!line.ok || line.firstAnswerMs === undefined || line.requireMs === undefined)
    throw new Error(`the Lambda handler did not answer: ${stdout}`);
  return { firstAnswerMs: line.firstAnswerMs, requireMs: line.requireMs, spawnMs };
}

/** Runs as one figure: their medians. */
function initsOf(runs: readonly InitRun[]): LambdaInit {
  return {
    runsMs: runs.map((r) => r.firstAnswerMs),
    medianMs: median(runs.map((r) => r.firstAnswerMs)),
    requireMedianMs: median(runs.map((r) => r.requireMs)),
    spawnToAnswerMedianMs: median(runs.map((r) => r.spawnMs)),
  };
}

export async function runBench(o: BenchOptions): Promise<Report> {
  const { outDir: _outDir, log: _log, ...settings } = o;
  const stub = await startServer(SCRIPTS.stub, {});
  const env = serverEnv(stub.url);
  try {
    const cold: Record<Sample['server'], Array<{ ms: number; idleRssMb: number; cpuMs: number }>> = {
      gateway: [],
      baseline: [],
    };
    for (let i = 0; i < o.coldStarts; i++) {
      const order = i % 2 === 0 ? (['gateway', 'baseline'] as const) : (['baseline', 'gateway'] as const);
      for (const name of order) {
        cold[name].push(
          await coldStart(SCRIPTS[name], env, BODY, name === 'gateway' ? GATEWAY_NODE_FLAGS : []),
        );
      }
    }
    const coldStartOf = { gateway: coldStarts(cold.gateway), baseline: coldStarts(cold.baseline) };
    o.log(
      `cold start (median of ${o.coldStarts}): gateway ${coldStartOf.gateway.medianMs.toFixed(0)} ms (CPU ${coldStartOf.gateway.cpuMedianMs.toFixed(0)} ms, idle RSS ${coldStartOf.gateway.idleRssMb.toFixed(0)} MB), baseline ${coldStartOf.baseline.medianMs.toFixed(0)} ms (CPU ${coldStartOf.baseline.cpuMedianMs.toFixed(0)} ms, ${coldStartOf.baseline.idleRssMb.toFixed(0)} MB)`,
    );

    const bundles = await lambdaBundles();
    const inits: Record<'lambdaInit' | 'lambdaBundle' | 'lambdaBare', InitRun[]> = {
      lambdaInit: [],
      lambdaBundle: [],
      lambdaBare: [],
    };
    // One run of each in turn, so that a busy moment of the machine falls on all three alike.
    for (let i = 0; i < o.coldStarts; i++) {
      inits.lambdaInit.push(await measureInit(env));
      inits.lambdaBundle.push(await measureInit(env, bundles.gateway));
      inits.lambdaBare.push(await measureInit(env, bundles.bare));
    }
    const [lambdaInit, lambdaBundle, lambdaBare] = (
      ['lambdaInit', 'lambdaBundle', 'lambdaBare'] as const
    ).map((name) => initsOf(inits[name])) as [LambdaInit, LambdaInit, LambdaInit];
    for (const [name, init] of [
      ['Lambda handler', lambdaInit],
      ['Lambda bundle', lambdaBundle],
      ['bundled bare handler', lambdaBare],
    ] as const)
      o.log(
        `${name} (median of ${o.coldStarts}): require to first answer ${init.medianMs.toFixed(0)} ms (require alone ${init.requireMedianMs.toFixed(0)} ms), spawn to first answer ${init.spawnToAnswerMedianMs.toFixed(0)} ms`,
      );

    const samples: Sample[] = [];
    const footprints: RoundFootprint[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      // A fresh pair each round: the RSS reading is of a process that served exactly rssRequests so far.
      const pair: Measured[] = [];
      try {
        pair.push(await startMeasured('gateway', env), await startMeasured('baseline', env));
        if (round % 2 === 0) pair.reverse();
        for (const server of pair) footprints.push(await footprint(server, round, o));
        for (const connections of o.connections) {
          for (const server of pair) samples.push(await saturate(server, round, connections, o));
        }
      } finally {
        await Promise.all(pair.map((s) => s.stop()));
      }
    }

    const stores = o.storeSeconds > 0 ? await storeRuns(env, o) : [];

    const ratios = roundRatios(samples);
    const summaries = summarise(samples);
    const report: Report = {
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        date: new Date().toISOString().slice(0, 10),
      },
      settings,
      coldStart: coldStartOf,
      lambdaInit,
      lambdaBundle,
      lambdaBare,
      footprints,
      targets: targetChecks(coldStartOf, footprints, ratios, summaries),
      summaries,
      ratios,
      medianRatios: medianRatios(ratios),
      samples,
      stores,
    };
    mkdirSync(o.outDir, { recursive: true });
    writeFileSync(join(o.outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(o.outDir, 'results.md'), markdown(report));
    writeFileSync(join(o.outDir, 'ratios.svg'), svgChart(report));
    return report;
  } finally {
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
    coldStarts: Number(option('cold-starts', '5')),
    rssRequests: Number(option('rss-requests', '20000')),
    ratePerSecond: Number(option('rate', '100')),
    rateSeconds: Number(option('rate-seconds', '20')),
    storeSeconds: Number(option('store-seconds', '5')),
    storeConnections: Number(option('store-connections', '10')),
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
