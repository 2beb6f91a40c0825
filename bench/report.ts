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

export interface Report {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; date: string };
  settings: { rounds: number; durationSeconds: number; warmupSeconds: number; connections: number[] };
  coldStartMs: { gateway: number; baseline: number };
  summaries: Summary[];
  ratios: RoundRatio[];
  medianRatios: Array<{ connections: number; throughput: number; cpuPerRequest: number; p99: number }>;
  samples: Sample[];
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

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function markdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${f(m.memoryGb)} GiB, Node ${m.node}; ${m.date}.`,
    `Settings: ${report.settings.rounds} alternating rounds, ${report.settings.durationSeconds} s per load after ${report.settings.warmupSeconds} s warm-up, autocannon at ${report.settings.connections.join(' and ')} connections.`,
    '',
    '| server | connections | req/s | p50 ms | p99 ms | CPU ms/req | RSS MB after | cold start ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.summaries.map(
      (s) =>
        `| ${s.server} | ${s.connections} | ${f(s.requestsPerSecond)} | ${f(s.p50Ms, 1)} | ${f(s.p99Ms, 1)} | ${f(s.cpuMsPerRequest, 3)} | ${f(s.rssMb)} | ${f(report.coldStartMs[s.server])} |`,
    ),
    '',
    '| connections | throughput gateway/baseline | CPU per request gateway/baseline | p99 gateway/baseline |',
    '| ---: | ---: | ---: | ---: |',
    ...report.medianRatios.map(
      (r) => `| ${r.connections} | ${f(r.throughput, 2)} | ${f(r.cpuPerRequest, 2)} | ${f(r.p99, 2)} |`,
    ),
    '',
    'Medians over rounds; ratios are paired per round (same round, same connection count).',
    '',
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
      tick === 0.75
        ? `<line x1="${pad.left}" y1="${y(tick)}" x2="${width - pad.right}" y2="${y(tick)}" stroke="#888" stroke-dasharray="4 3"/>`
        : `<line x1="${pad.left}" y1="${y(tick)}" x2="${width - pad.right}" y2="${y(tick)}" stroke="#ddd"/>`,
    );
  }
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
    `<text x="${width - pad.right + 10}" y="${y(0.75) + 4}" fill="#888">target 0.75</text>`,
    '</svg>',
    '',
  );
  return parts.join('\n');
}
