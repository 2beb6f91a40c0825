// What the Lambda bundle evaluates: modules only some requests or some configurations need are run when they are
// needed, not at init. The bundle is built as `npm run package:lambda` builds it, with a marker at the end of
// every file of the packages watched, so a fresh process says which of them it ran; each case invokes the
// handler as Lambda does, against the stand-in.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCognito } from '../../src/local-cognito';
import type { UpstreamCognito } from '../support/gateway-harness';
import { httpApiEvent } from '../support/lambda-events';
import { lambdaEnv, startLambdaUpstream } from '../support/lambda-harness';
import { resend, signUpWith } from '../support/user-pool-requests';
import { ROOT } from './process';

const run = promisify(execFile);

/** The packages watched, as the marker names them. */
const WATCHED = {
  redis: 'ioredis',
  phoneMetadata: 'libphonenumber-js',
  proofOfWork: 'altcha-lib',
  credentialChain: '@aws-sdk/credential-provider-node',
} as const;

const WATCHED_FILE = new RegExp(
  `node_modules[\\\\/](${Object.values(WATCHED)
    .map((name) => name.replace('/', '[\\\\/]'))
    .join('|')})[\\\\/].*\\.c?js$`,
);

/** Appends to each watched file a line that records its package in globalThis.evaluated when it has run. */
const marker: Plugin = {
  name: 'evaluation-marker',
  setup(build) {
    build.onLoad({ filter: WATCHED_FILE }, ({ path }) => {
      const name = Object.values(WATCHED).find((p) =>
        path.replace(/\\/g, '/').includes(`/node_modules/${p}/`),
      );
      return {
        contents: `${readFileSync(path, 'utf8')}\n;(globalThis.evaluated ??= new Set()).add(${JSON.stringify(name)});\n`,
        loader: 'js',
      };
    });
  },
};

let standIn: LocalCognito;
let upstream: UpstreamCognito;
let dir: string;
let bundleFile: string;
beforeAll(async () => {
  ({ standIn, upstream } = await startLambdaUpstream());
  dir = mkdtempSync(join(tmpdir(), 'lambda-lazy-'));
  bundleFile = join(dir, 'handler.js');
  const { bundle } = require(join(ROOT, 'scripts', 'package-lambda.js')) as {
    bundle(entry: string, outfile: string, options: { plugins: Plugin[] }): Promise<{ inputs: string[] }>;
  };
  const { inputs } = await bundle(join(ROOT, 'dist', 'src', 'lambda', 'handler.js'), bundleFile, {
    plugins: [marker],
  });
  // Each is in the bundle, for the requests and configurations that need it.
  for (const name of Object.values(WATCHED))
    expect(inputs.some((file) => file.includes(`node_modules/${name}/`))).toBe(true);
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  return standIn.close();
});

/**
 * Loads the bundle in a fresh process with the function's environment plus `env`, invokes it with `bodies` in
 * turn (each answered with data), and answers the watched packages it evaluated.
 */
async function evaluated(env: Record<string, string>, bodies: unknown[]): Promise<string[]> {
  const events = bodies.map((body) => httpApiEvent({ body: JSON.stringify(body) }));
  const script = `const { handler } = require(${JSON.stringify(bundleFile)});
(async () => {
  for (const event of ${JSON.stringify(events)}) {
    const r = await handler(event, { awsRequestId: 'lazy-test' });
    const body = JSON.parse(r.body);
    if (r.statusCode !== 200 || !body.data) throw new Error(r.body);
  }
  console.log(JSON.stringify([...(globalThis.evaluated ?? [])].sort()));
})().catch((e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', ...lambdaEnv(upstream), LOG_LEVEL: 'silent', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
}

describe('the Lambda bundle', () => {
  it('answers a sign-up and a resend by email without Redis, the challenge or the look-up, evaluating none of the watched packages', async () => {
    const username = `lazy-${Date.now()}@example.com`;
    expect(await evaluated({}, [signUpWith(username, { email: username }), resend({ username })])).toEqual(
      [],
    );
  });

  it('evaluates the phone metadata for a request that carries a phone number, and nothing else watched', async () => {
    const username = `lazy-phone-${Date.now()}@example.com`;
    expect(
      await evaluated({}, [signUpWith(username, { email: username, phone_number: '+447400123456' })]),
    ).toEqual([WATCHED.phoneMetadata]);
  });

  it('evaluates the proof-of-work verifier when the challenge is on', async () => {
    expect(
      await evaluated(
        {
          CHALLENGE_MODE: 'adaptive',
          CHALLENGE_HMAC_KEY: 'lazy-loading-challenge-key-0123456789',
        },
        [{ query: '{ serviceInfo { name } }' }],
      ),
    ).toEqual([WATCHED.proofOfWork]);
  });

  it('evaluates the AWS credential chain when the look-up signs AdminGetUser', async () => {
    expect(
      await evaluated(
        {
          COGNITO_LOOKUP_USERS: 'true',
          AWS_ACCESS_KEY_ID: 'AKIDLAZYLOADINGTEST0',
          AWS_SECRET_ACCESS_KEY: 'lazy-loading-test-secret',
        },
        [{ query: '{ serviceInfo { name } }' }],
      ),
    ).toEqual([WATCHED.credentialChain]);
  });
});
