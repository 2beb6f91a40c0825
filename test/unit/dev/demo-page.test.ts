// The demo page's routes: which files are served with which headers, and what happens without the files.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoDocumentManifest } from '../../../src/dev/demo-documents';
import {
  DEMO_CONTENT_SECURITY_POLICY,
  demoPage,
  demoRoutes,
  findDemoDirectory,
} from '../../../src/dev/demo-page';
import { parsePersistedDocumentManifest } from '../../../src/graphql/persisted-document-manifest';
import { SIGN_UP } from '../../../src/user-pool-calls/documents';

const ROOT = join(__dirname, '..', '..', '..');

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(routes: Map<string, (req: never, res: never) => void>): Promise<string> {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(req as never, res as never);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The body of a demo file, after checking it is served with its type, uncached, under the page's CSP. */
async function served(base: string, path: string, type: string): Promise<string> {
  const res = await fetch(base + path);
  expect(res.status, path).toBe(200);
  expect(Object.fromEntries(res.headers), path).toMatchObject({
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  });
  return res.text();
}

describe('demoRoutes', () => {
  it('finds demo/ at the repository root from src/dev/ and from dist/src/dev/', () => {
    expect(findDemoDirectory(join(ROOT, 'src', 'dev'))).toBe(join(ROOT, 'demo'));
    expect(findDemoDirectory(join(ROOT, 'dist', 'src', 'dev'))).toBe(join(ROOT, 'demo'));
    expect(findDemoDirectory(join(ROOT, 'node_modules', 'vitest', 'dist', 'chunks'))).toBeUndefined();
  });

  it('serves the page and its assets with their content types, uncached, under a self-only CSP', async () => {
    const base = await serve(demoRoutes());
    const expected: Array<[string, string, string]> = [
      ['/demo', 'text/html; charset=utf-8', '<!doctype html>'],
      ['/demo/', 'text/html; charset=utf-8', '<!doctype html>'],
      ['/demo/demo.js', 'text/javascript; charset=utf-8', 'const GRAPHQL_URL'],
      ['/demo/demo.css', 'text/css; charset=utf-8', ':root'],
      ['/demo/favicon.svg', 'image/svg+xml', '<svg'],
    ];
    for (const [path, type, start] of expected) expect(await served(base, path, type), path).toContain(start);
    expect(DEMO_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'/);
    expect(DEMO_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);

    const head = await fetch(`${base}/demo`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
  });

  it("serves the ALTCHA widget, its stylesheet and its PBKDF2 worker from the altcha package's own files, under the same CSP", async () => {
    const base = await serve(demoRoutes());
    const dist = join(ROOT, 'node_modules', 'altcha', 'dist');
    const expected: Array<[string, string, string]> = [
      ['/demo/altcha/altcha.js', 'text/javascript; charset=utf-8', join(dist, 'external', 'altcha.min.js')],
      ['/demo/altcha/altcha.css', 'text/css; charset=utf-8', join(dist, 'external', 'altcha.css')],
      ['/demo/altcha/pbkdf2.js', 'text/javascript; charset=utf-8', join(dist, 'workers', 'pbkdf2.js')],
    ];
    for (const [path, type, file] of expected)
      expect(await served(base, path, type), path).toBe(readFileSync(file, 'utf8'));
    // The widget solves in workers loaded from this origin: no blob:, no inline script or style.
    expect(DEMO_CONTENT_SECURITY_POLICY).toContain("worker-src 'self'");
    expect(DEMO_CONTENT_SECURITY_POLICY).not.toMatch(/blob:|data:/);
  });

  it('serves the documents the page sends by id as a manifest that TRUSTED_DOCUMENTS_FILE would accept, the same the gateway holds', async () => {
    const { routes, persistedDocuments } = demoPage();
    const base = await serve(routes as Map<string, never>);
    const text = await served(base, '/demo/documents.json', 'application/json; charset=utf-8');
    const parsed = parsePersistedDocumentManifest(text);
    expect(parsed.ok && [...parsed.documents]).toEqual([...(persistedDocuments ?? [])]);
    const names = JSON.parse(text).operations.map((o: { name: string }) => o.name);
    // Every call the page makes, each written once in src/user-pool-calls/documents.ts.
    expect(names).toEqual([
      'SignUp',
      'Resend',
      'Confirm',
      'ForgotPassword',
      'ConfirmForgotPassword',
      'SignIn',
      'RespondToSignInChallenge',
      'RefreshTokens',
      'SignOut',
      'ServiceInfo',
    ]);
    expect(demoDocumentManifest().operations.map((o) => o.body)).toContain(SIGN_UP);
  });

  it('answers 404 at /demo instead of failing start-up when the files are not there', async () => {
    const routes = demoRoutes({ directory: undefined });
    expect([...routes.keys()]).toEqual(['/demo', '/demo/']);
    const res = await fetch(`${await serve(routes)}/demo`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('The demo page is not part of this build.\n');
  });
});
