// A two-second run of the benchmark harness (not the benchmark itself): it starts the stub, the gateway and
// the baseline, loads each briefly and must produce well-formed results, table and chart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../bench/redis-server';
import { runBench } from '../../bench/run';

describe('npm run bench harness', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures both servers and writes results.json, results.md and ratios.svg', async () => {
    const report = await runBench({
      rounds: 1,
      durationSeconds: 1,
      warmupSeconds: 0,
      connections: [4],
      coldStarts: 1,
      rssRequests: 200,
      ratePerSecond: 50,
      rateSeconds: 1,
      storeSeconds: 1,
      storeConnections: 2,
      outDir,
      log: () => {},
    });
    expect(report.samples.map((s) => s.server).sort()).toEqual(['baseline', 'gateway']);
    for (const sample of report.samples) {
      expect(sample.requests).toBeGreaterThan(0);
      expect(sample.non2xx).toBe(0);
      expect(sample.errors).toBe(0);
      expect(sample.cpuMsPerRequest).toBeGreaterThan(0);
      expect(sample.rssMb).toBeGreaterThan(10);
    }
    expect(report.coldStart.gateway.medianMs).toBeGreaterThan(0);
    expect(report.lambdaInit?.medianMs).toBeGreaterThan(0);
    expect(report.coldStart.baseline.idleRssMb).toBeGreaterThan(10);
    expect(report.footprints.map((f) => [f.server, f.rateFailures])).toEqual(
      expect.arrayContaining([
        ['gateway', 0],
        ['baseline', 0],
      ]),
    );
    for (const f of report.footprints) {
      expect(f.rateP99Ms).toBeGreaterThan(0);
      expect(f.rssAfterRequestsMb).toBeGreaterThan(10);
    }
    expect(report.targets.map((t) => t.name)).toEqual([
      'cold start ms',
      'RSS MB after the fixed request count',
      'p50 ms at the fixed rate',
      'p99 ms at the fixed rate',
      'req/s at 4 connections',
      'CPU ms per request at 4 connections',
    ]);
    expect(report.medianRatios).toHaveLength(1);
    expect(Number.isFinite(report.medianRatios[0]?.throughput)).toBe(true);

    // The limit stores, in the same run: memory, one Redis node and a cluster unless redis-server is missing
    // (said so).
    const [memory, redis, cluster] = report.stores ?? [];
    expect(memory).toMatchObject({ store: 'memory', failed: 0 });
    expect(memory?.requests).toBeGreaterThan(0);
    expect(memory?.roundTripsPerCall).toBeUndefined();
    if ('path' in findRedisServer()) {
      expect(redis).toMatchObject({ store: 'redis (one node)', failed: 0 });
      // A script for the limits' consume, one for their settle, and the destination links: not one per rule.
      expect(redis?.roundTripsPerCall).toBeGreaterThan(1);
      expect(redis?.roundTripsPerCall).toBeLessThan(6);
      // The same on a three-master cluster: every key in one slot, so the same scripts.
      expect(cluster).toMatchObject({ store: 'redis (three-master cluster)', failed: 0 });
      expect(cluster?.roundTripsPerCall).toBeGreaterThan(1);
      expect(cluster?.roundTripsPerCall).toBeLessThan(6);
    } else expect(redis?.skipped).toMatch(/redis-server/);

    const json = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(json.summaries).toHaveLength(2);
    const table = readFileSync(join(outDir, 'results.md'), 'utf8');
    expect(table).toMatch(/\| gateway \| 4 \|/);
    expect(table).toMatch(/\| p99 ms at the fixed rate \| [\d.]+ \| [\d.]+ \| [+-][\d.]+ ms \| <= 2 ms \|/);
    expect(table).toMatch(/\| redis \(one node\) \|/);
    expect(readFileSync(join(outDir, 'ratios.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  }, 90_000);
});
