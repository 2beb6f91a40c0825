// Small pieces every helper that gives tests an outside resource (Redis, moto, Chromium) needs: a free
// loopback port, and one loud line when a suite must skip, so that a skipped suite is never mistaken for
// a passing one.
import { createServer } from 'node:net';

/** A port that was free a moment ago: listen on port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const announced = new Set<string>();

/** Prints `*** SKIPPED <suite>: <reason> ***` to stderr, once per suite. */
export function announceSkip(suite: string, reason: string): void {
  if (announced.has(suite)) return;
  announced.add(suite);
  process.stderr.write(`\n*** SKIPPED ${suite}: ${reason} ***\n\n`);
}
