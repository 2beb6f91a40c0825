// The Lambda package as docs/lambda.md builds it: exactly the paths of its `zip` line (node_modules linked, not
// copied; the excluded paths removed), and the handler required from there in a fresh node process, as Lambda's
// runtime does, then invoked with an HTTP API event against the stand-in. A path the docs forget fails here.
import { execFile } from 'node:child_process';
import { cpSync, globSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCognito } from '../../src/local-cognito';
import type { UpstreamCognito } from '../support/gateway-harness';
import { httpApiEvent } from '../support/lambda-events';
import { lambdaEnv, startLambdaUpstream } from '../support/lambda-harness';
import { resend } from '../support/user-pool-requests';
import { ROOT } from './process';

const run = promisify(execFile);

/** The `zip -qr gateway.zip <paths...> -x <patterns...>` line of docs/lambda.md. */
function documentedPackage(): { paths: string[]; excluded: string[] } {
  const line = readFileSync(join(ROOT, 'docs', 'lambda.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('zip -qr gateway.zip '));
  if (!line) throw new Error('docs/lambda.md has no `zip -qr gateway.zip ...` line');
  const words = line.slice('zip -qr gateway.zip '.length).split(/\s+/).filter(Boolean);
  const x = words.indexOf('-x');
  const unquote = (w: string) => w.replace(/^'|'$/g, '');
  return {
    paths: (x === -1 ? words : words.slice(0, x)).map(unquote),
    excluded: x === -1 ? [] : words.slice(x + 1).map(unquote),
  };
}

let standIn: LocalCognito;
let upstream: UpstreamCognito;
beforeAll(async () => {
  ({ standIn, upstream } = await startLambdaUpstream());
});
afterAll(() => standIn.close());

describe('the Lambda package of docs/lambda.md', () => {
  it('loads and answers a resend from exactly the documented paths', async () => {
    const task = mkdtempSync(join(tmpdir(), 'lambda-task-'));
    const { paths, excluded } = documentedPackage();
    expect(paths).toContain('node_modules');
    for (const path of paths) {
      if (path === 'node_modules') symlinkSync(join(ROOT, 'node_modules'), join(task, 'node_modules'));
      else cpSync(join(ROOT, path), join(task, path), { recursive: true });
    }
    // zip's patterns: `dir/*` is everything under dir, `*.map` every source map.
    for (const pattern of excluded) {
      const matches = globSync(pattern.endsWith('/*') ? pattern.slice(0, -2) : `**/${pattern}`, {
        cwd: task,
        exclude: (name) => name === 'node_modules',
      });
      for (const match of matches) rmSync(join(task, match), { recursive: true, force: true });
    }
    await expectAnswersResend(join(task, 'dist', 'src', 'lambda', 'handler.js'));
    expect(globSync('dist/src/{dev,local-cognito}', { cwd: task })).toEqual([]);
    rmSync(task, { recursive: true, force: true });
  }, 30_000);
});

describe('the bundled Lambda package (npm run package:lambda)', () => {
  it("loads and answers a resend from its own files alone, moved elsewhere, holding neither the stand-in nor the demo, with V8 taking its code cache under plain node and under the Lambda runtime's flags", async () => {
    const built = mkdtempSync(join(tmpdir(), 'lambda-bundle-'));
    const { packageLambda } = require(join(ROOT, 'scripts', 'package-lambda.js')) as {
      packageLambda(outdir: string): Promise<{ bytes: number; inputs: string[] }>;
    };
    const { bytes, inputs } = await packageLambda(built);
    console.log(`lambda bundle: ${(bytes / 2 ** 20).toFixed(1)} MiB from ${inputs.length} files`);
    expect(inputs.filter((file) => /dist\/src\/(dev|local-cognito)\/|(^|\/)demo\//.test(file))).toEqual([]);
    // The loader, the bundle, its source map and licences, and the code caches; nothing else.
    expect(globSync(['*', '*/*'], { cwd: built }).sort()).toEqual([
      'code-cache',
      'code-cache.js',
      'code-cache/default.bin',
      'code-cache/expose-gc.bin',
      'handler.js',
      'handler.js.LEGAL.txt',
      'handler.js.map',
      'index.js',
    ]);
    // As an archive unpacked elsewhere (/var/task): nothing in it names the directory it was made in.
    const task = mkdtempSync(join(tmpdir(), 'lambda-task-'));
    cpSync(built, task, { recursive: true });
    rmSync(built, { recursive: true, force: true });
    // Lambda's runtime starts node with --expose-gc, one of the V8 flags a code cache must match.
    for (const options of ['', '--expose-gc']) {
      const { stderr } = await expectAnswersResend(join(task, 'index.js'), {
        NODE_DEBUG: 'gateway_code_cache',
        NODE_OPTIONS: options,
      });
      expect(stderr).toMatch(/code cache accepted/);
      expect(stderr).not.toMatch(/GATEWAY_CODE_CACHE_REJECTED/);
    }
    rmSync(task, { recursive: true, force: true });
  }, 60_000);
});

/** Requires `handlerFile` in a fresh process, as Lambda's runtime does, and invokes it with a resend. */
async function expectAnswersResend(
  handlerFile: string,
  env: Record<string, string> = {},
): Promise<{ stderr: string }> {
  const event = httpApiEvent({
    body: JSON.stringify(resend({ username: 'nobody@example.com' })),
  });
  const script = `require(${JSON.stringify(handlerFile)}).handler(${JSON.stringify(event)}, { awsRequestId: 'package-test' }).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
  const { stdout, stderr } = await run(process.execPath, ['-e', script], {
    cwd: dirname(dirname(handlerFile)),
    env: { PATH: process.env.PATH ?? '', ...lambdaEnv(upstream), ...env },
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    statusCode?: number;
    body?: string;
  };
  expect(result.statusCode).toBe(200);
  // The stand-in answered: the user is unknown, so the call reached it and came back mapped.
  expect(JSON.parse(result.body ?? '{}').errors?.[0]?.extensions?.code).toBe('USER_NOT_FOUND');
  return { stderr };
}
