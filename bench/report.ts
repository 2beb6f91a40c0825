// Turns benchmark samples into medians, paired gateway/baseline ratios, a Markdown table and an SVG chart.
export interface Sample {
  round: number;
  server: 'gateway' | 'baseline';
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  rssMb: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** The gateway on one limit store (memory, Redis), one short load; `skipped` says why it did not run. */
export interface StoreSample {
  store: string;
  skipped?: string;
  requestsPerSecond?: number;
  cpuMsPerRequest?: number;
  p99Ms?: number;
  requests?: number;
  failed?: number;
  /** Round trips to Redis a call: scripts, MULTI ... EXEC blocks, SMEMBERS (INFO commandstats). */
  roundTripsPerCall?: number;
  /** Commands Redis ran a call, inside scripts and transactions too. */
  commandsPerCall?: number;
  /** Calls per command over the load, as INFO commandstats counted them. */
  commands?: Record<string, number>;
}

export interface RoundRatio {
  round: number;
  connections: number;
  throughput: number;
  cpuPerRequest: number;
  p99: number;
}

/** Medians over rounds (RSS: the largest reading) for one server at one connection count. */
export type Summary = Pick<
  Sample,
  'server' | 'connections' | 'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'cpuMsPerRequest' | 'rssMb'
>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function roundRatios(samples: Sample[]): RoundRatio[] {
  const ratios: RoundRatio[] = [];
  for (const s of samples.filter((x) => x.server === 'gateway')) {
    const base = samples.find(
      (b) => b.server === 'baseline' && b.round === s.round && b.connections === s.connections,
    );
    if (!base) continue;
    ratios.push({
      round: s.round,
      connections: s.connections,
      throughput: s.requestsPerSecond / base.requestsPerSecond,
      cpuPerRequest: s.cpuMsPerRequest / base.cpuMsPerRequest,
      p99: s.p99Ms / base.p99Ms,
    });
  }
  return ratios;
}

export function summarise(samples: Sample[]): Summary[] {
  const keys = [...new Set(samples.map((s) => `${s.server}|${s.connections}`))];
  return keys.map((key) => {
    const [server, connections] = key.split('|') as ['gateway' | 'baseline', string];
    const own = samples.filter((s) => s.server === server && s.connections === Number(connections));
    return {
      server,
      connections: Number(connections),
      requestsPerSecond: median(own.map((s) => s.requestsPerSecond)),
      p50Ms: median(own.map((s) => s.p50Ms)),
      p99Ms: median(own.map((s) => s.p99Ms)),
      cpuMsPerRequest: median(own.map((s) => s.cpuMsPerRequest)),
      rssMb: Math.max(...own.map((s) => s.rssMb)),
    };
  });
}

/** What each round measured of one server besides saturation: memory after a fixed count, latency at a fixed rate. */
export interface RoundFootprint {
  round: number;
  server: Sample['server'];
  /** RSS after the round's first `rssRequests` requests (autocannon, 10 connections). */
  rssAfterRequestsMb: number;
  /** Latency of an open-loop load at `ratePerSecond`, to a fraction of a millisecond. */
  rateP50Ms: number;
  rateP99Ms: number;
  rateFailures: number;
}

export interface ColdStarts {
  /** Spawn to first successful mutation, each run, in order. */
  runsMs: number[];
  medianMs: number;
  /** RSS right after the first answer, median over the runs. */
  idleRssMb: number;
  /** CPU time (user + system) from spawn to the first answer, median over the runs. */
  cpuMedianMs: number;
}

/** A target of the footprint issue: a figure of the gateway against the baseline, and the bound it must keep. */
export interface TargetCheck {
  name: string;
  gateway: number;
  baseline: number;
  /** gateway/baseline, or gateway - baseline for an added latency. */
  value: number;
  kind: 'ratio' | 'added ms';
  bound: number;
  /** 'at most' the bound, or 'at least'. */
  direction: 'at most' | 'at least';
  met: boolean;
}

/** How a run loads the servers: `npm run bench`'s options, written into the report as they were. */
export interface BenchSettings {
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number[];
  coldStarts: number;
  /** Requests before the RSS reading of each round (20,000 in the issue). */
  rssRequests: number;
  ratePerSecond: number;
  rateSeconds: number;
  /** Seconds of load on each limit store (memory, Redis) after a 1 s warm-up; 0 leaves them out. */
  storeSeconds: number;
  /** Connections of the store runs. */
  storeConnections: number;
}

/** A Lambda handler's init, in fresh processes: require() to the first answer, require() alone, spawn to answer. */
export interface LambdaInit {
  runsMs: number[];
  medianMs: number;
  requireMedianMs: number;
  spawnToAnswerMedianMs: number;
}

/** The bundled handler's init against the targets: at most 1.5x the bundled bare handler's, and under 400 ms. */
export const LAMBDA_BUNDLE_TARGET = { ratio: 1.5, ms: 400 };
/** Issue 24's targets against the baseline in the same run (all protections on). */
const TARGETS = { coldStart: 1.5, rss: 1.15, addedP99Ms: 2, throughput: 0.7, cpuPerRequest: 1.4 };

export interface Report {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; date: string };
  settings: BenchSettings;
  coldStart: { gateway: ColdStarts; baseline: ColdStarts };
  /** The Lambda handler: a fresh process's require of the handler to its first answer, when measured. */
  lambdaInit?: LambdaInit;
  /** The same for the bundle `npm run package:lambda` makes, and for the bundled bare handler (the floor). */
  lambdaBundle?: LambdaInit;
  lambdaBare?: LambdaInit;
  footprints: RoundFootprint[];
  targets: TargetCheck[];
  summaries: Summary[];
  ratios: RoundRatio[];
  medianRatios: Array<{ connections: number; throughput: number; cpuPerRequest: number; p99: number }>;
  samples: Sample[];
  /** The gateway on each limit store, in the same run (absent in reports written before them). */
  stores?: StoreSample[];
}

export function medianRatios(ratios: RoundRatio[]): Report['medianRatios'] {
  return [...new Set(ratios.map((r) => r.connections))].map((connections) => {
    const own = ratios.filter((r) => r.connections === connections);
    return {
      connections,
      throughput: median(own.map((r) => r.throughput)),
      cpuPerRequest: median(own.map((r) => r.cpuPerRequest)),
      p99: median(own.map((r) => r.p99)),
    };
  });
}

function check(
  name: string,
  gateway: number,
  baseline: number,
  kind: TargetCheck['kind'],
  direction: TargetCheck['direction'],
  bound: number,
  value = kind === 'ratio' ? gateway / baseline : gateway - baseline,
): TargetCheck {
  const met = direction === 'at most' ? value <= bound : value >= bound;
  return { name, gateway, baseline, value, kind, bound, direction, met };
}

/** The issue's targets, each from figures of the same run: medians of per-round pairs where rounds pair them. */
export function targetChecks(
  coldStart: Report['coldStart'],
  footprints: RoundFootprint[],
  ratios: RoundRatio[],
  summaries: Summary[],
): TargetCheck[] {
  const paired = (pick: (g: RoundFootprint, b: RoundFootprint) => number) =>
    median(
      footprints
        .filter((g) => g.server === 'gateway')
        .flatMap((g) => {
          const b = footprints.find((x) => x.server === 'baseline' && x.round === g.round);
          return b ? [pick(g, b)] : [];
        }),
    );
  const of = (server: Sample['server'], key: 'rssAfterRequestsMb' | 'rateP50Ms' | 'rateP99Ms') =>
    median(footprints.filter((x) => x.server === server).map((x) => x[key]));
  const checks = [
    check(
      'cold start ms',
      coldStart.gateway.medianMs,
      coldStart.baseline.medianMs,
      'ratio',
      'at most',
      TARGETS.coldStart,
    ),
    check(
      'RSS MB after the fixed request count',
      of('gateway', 'rssAfterRequestsMb'),
      of('baseline', 'rssAfterRequestsMb'),
      'ratio',
      'at most',
      TARGETS.rss,
      paired((g, b) => g.rssAfterRequestsMb / b.rssAfterRequestsMb),
    ),
    check(
      'p50 ms at the fixed rate',
      of('gateway', 'rateP50Ms'),
      of('baseline', 'rateP50Ms'),
      'added ms',
      'at most',
      Number.POSITIVE_INFINITY,
      paired((g, b) => g.rateP50Ms - b.rateP50Ms),
    ),
    check(
      'p99 ms at the fixed rate',
      of('gateway', 'rateP99Ms'),
      of('baseline', 'rateP99Ms'),
      'added ms',
      'at most',
      TARGETS.addedP99Ms,
      paired((g, b) => g.rateP99Ms - b.rateP99Ms),
    ),
  ];
  for (const r of medianRatios(ratios)) {
    const g = summaries.find((s) => s.server === 'gateway' && s.connections === r.connections);
    const b = summaries.find((s) => s.server === 'baseline' && s.connections === r.connections);
    if (!g || !b) continue;
    checks.push(
      check(
        `req/s at ${r.connections} connections`,
        g.requestsPerSecond,
        b.requestsPerSecond,
        'ratio',
        'at least',
        TARGETS.throughput,
        r.throughput,
      ),
      check(
        `CPU ms per request at ${r.connections} connections`,
        g.cpuMsPerRequest,
        b.cpuMsPerRequest,
        'ratio',
        'at most',
        TARGETS.cpuPerRequest,
        r.cpuPerRequest,
      ),
    );
  }
  return checks;
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
/** Figures under 10 with decimals (latencies, CPU ms), the rest whole. */
const figure = (n: number) => f(n, Math.abs(n) < 10 ? (Math.abs(n) < 1 ? 3 : 2) : 0);

export function markdown(report: Report): string {
  const m = report.machine;
  const s = report.settings;
  const bound = (t: TargetCheck) =>
    Number.isFinite(t.bound)
      ? `${t.direction === 'at most' ? '<=' : '>='} ${t.bound}${t.kind === 'ratio' ? 'x' : ' ms'}`
      : '(reported)';
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${f(m.memoryGb)} GiB, Node ${m.node}; ${m.date}.`,
    `Settings: ${s.rounds} alternating rounds; cold start median of ${s.coldStarts} each; RSS after ${s.rssRequests} requests; ` +
      `${s.ratePerSecond} requests/s for ${s.rateSeconds} s; saturation ${s.durationSeconds} s per load after ${s.warmupSeconds} s warm-up at ${s.connections.join(' and ')} connections.`,
    '',
    '| figure | gateway | baseline | gateway vs baseline | target | met |',
    '| --- | ---: | ---: | ---: | ---: | :---: |',
    `| idle RSS MB after start | ${f(report.coldStart.gateway.idleRssMb)} | ${f(report.coldStart.baseline.idleRssMb)} | ${f(report.coldStart.gateway.idleRssMb / report.coldStart.baseline.idleRssMb, 2)}x | (reported) | |`,
    `| CPU ms of the cold start (user + system) | ${f(report.coldStart.gateway.cpuMedianMs)} | ${f(report.coldStart.baseline.cpuMedianMs)} | ${f(report.coldStart.gateway.cpuMedianMs / report.coldStart.baseline.cpuMedianMs, 2)}x | (reported) | |`,
    ...report.targets.map(
      (t) =>
        `| ${t.name} | ${figure(t.gateway)} | ${figure(t.baseline)} | ${t.kind === 'ratio' ? `${f(t.value, 2)}x` : `${t.value >= 0 ? '+' : ''}${f(t.value, 3)} ms`} | ${bound(t)} | ${Number.isFinite(t.bound) ? (t.met ? 'yes' : '**no**') : ''} |`,
    ),
    ...(report.lambdaInit
      ? [
          `| Lambda handler: require to first answer (require alone), ms | ${f(report.lambdaInit.medianMs)} (${f(report.lambdaInit.requireMedianMs)}) | | | (reported) | |`,
        ]
      : []),
    ...(report.lambdaBundle && report.lambdaBare
      ? (() => {
          const bundled = report.lambdaBundle.medianMs;
          const bare = report.lambdaBare.medianMs;
          const met = bundled <= LAMBDA_BUNDLE_TARGET.ratio * bare && bundled < LAMBDA_BUNDLE_TARGET.ms;
          return [
            `| Lambda bundle vs bundled bare handler: require to first answer (require alone), ms | ${f(bundled)} (${f(report.lambdaBundle.requireMedianMs)}) | ${f(bare)} (${f(report.lambdaBare.requireMedianMs)}) | ${f(bundled / bare, 2)}x | <= ${LAMBDA_BUNDLE_TARGET.ratio}x and < ${LAMBDA_BUNDLE_TARGET.ms} ms | ${met ? 'yes' : '**no**'} |`,
          ];
        })()
      : []),
    '',
    '| server | connections | req/s | p50 ms | p99 ms | CPU ms/req | RSS MB after |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.summaries.map(
      (x) =>
        `| ${x.server} | ${x.connections} | ${f(x.requestsPerSecond)} | ${f(x.p50Ms, 1)} | ${f(x.p99Ms, 1)} | ${f(x.cpuMsPerRequest, 3)} | ${f(x.rssMb)} |`,
    ),
    '',
    'Medians over rounds; ratios and added latencies are medians of per-round pairs (same round, same load).',
    '',
    ...(report.stores && report.stores.length > 0
      ? [
          `Limit stores: the gateway alone, ${s.storeSeconds} s at ${s.storeConnections} connections after a 1 s warm-up, one run each; round trips and commands from Redis's INFO commandstats.`,
          '',
          '| limits in | req/s | CPU ms/req | p99 ms | Redis round trips per call | Redis commands per call |',
          '| --- | ---: | ---: | ---: | ---: | ---: |',
          ...report.stores.map((x) =>
            x.skipped !== undefined
              ? `| ${x.store} | skipped: ${x.skipped} | | | | |`
              : `| ${x.store} | ${f(x.requestsPerSecond ?? Number.NaN)} | ${f(x.cpuMsPerRequest ?? Number.NaN, 3)} | ${f(x.p99Ms ?? Number.NaN, 1)} | ${x.roundTripsPerCall === undefined ? '–' : f(x.roundTripsPerCall, 2)} | ${x.commandsPerCall === undefined ? '–' : f(x.commandsPerCall, 1)} |`,
          ),
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}

/** A small line chart of the per-round throughput ratio, one line per connection count. */
export function svgChart(report: Report): string {
  const width = 520;
  const height = 260;
  const pad = { left: 48, right: 120, top: 24, bottom: 36 };
  const rounds = Math.max(1, ...report.ratios.map((r) => r.round));
  const maxY = Math.max(1, ...report.ratios.map((r) => r.throughput)) * 1.1;
  const x = (round: number) =>
    pad.left + ((round - 1) / Math.max(1, rounds - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<title>Throughput of the gateway relative to the bare baseline, per benchmark round</title>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${pad.left}" y="16">Throughput gateway / baseline, per round</text>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${pad.left}" y2="${pad.top}" stroke="#333"/>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    if (tick > maxY) continue;
    parts.push(
      `<text x="${pad.left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(2)}</text>`,
      `<line x1="${pad.left}" y1="${y(tick)}" x2="${width - pad.right}" y2="${y(tick)}" stroke="#ddd"/>`,
    );
  }
  parts.push(
    `<line x1="${pad.left}" y1="${y(TARGETS.throughput)}" x2="${width - pad.right}" y2="${y(TARGETS.throughput)}" stroke="#888" stroke-dasharray="4 3"/>`,
  );
  for (let round = 1; round <= rounds; round++) {
    parts.push(
      `<text x="${x(round)}" y="${height - pad.bottom + 16}" text-anchor="middle">round ${round}</text>`,
    );
  }
  report.settings.connections.forEach((connections, i) => {
    const own = report.ratios.filter((r) => r.connections === connections).sort((a, b) => a.round - b.round);
    const colour = colours[i % colours.length];
    const points = own.map((r) => `${x(r.round).toFixed(1)},${y(r.throughput).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const r of own)
      parts.push(`<circle cx="${x(r.round)}" cy="${y(r.throughput)}" r="3" fill="${colour}"/>`);
    parts.push(
      `<text x="${width - pad.right + 10}" y="${pad.top + 16 + i * 18}" fill="${colour}">${connections} connections</text>`,
    );
  });
  parts.push(
    `<text x="${width - pad.right + 10}" y="${y(TARGETS.throughput) + 4}" fill="#888">target ${TARGETS.throughput.toFixed(2)}</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}
