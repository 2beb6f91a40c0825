// The demo page (development only: createGateway takes `development` outside production): the static
// files in demo/ at the repository root, read once at start-up, the page's GraphQL documents as a manifest
// (src/dev/demo-documents.ts, the gateway's persisted documents too), and the ALTCHA widget the page shows when the
// gateway asks for challenges, from the altcha package's own files (never a CDN). The directory is found by
// walking up from this module, so it works from src/dev/ (tests) and from dist/src/dev/ (`npm start`). Every
// answer is uncached and under a Content-Security-Policy that allows this origin only.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Handler } from '../node-server/http-adapter';
import type { DevelopmentAdditions } from '../node-server/start-server';
import { demoDocumentManifest, documentsById, type PersistedQueryManifest } from './demo-documents';

export const DEMO_PATH = '/demo';
/** The page's documents (an Apollo persisted-query manifest), which it sends by id. */
export const DOCUMENTS_PATH = `${DEMO_PATH}/documents.json`;

/** The page, then its assets under /demo/, with their content types. */
const FILES: ReadonlyArray<readonly [file: string, paths: readonly string[], contentType: string]> = [
  ['index.html', [DEMO_PATH, `${DEMO_PATH}/`], 'text/html; charset=utf-8'],
  ['demo.js', [`${DEMO_PATH}/demo.js`], 'text/javascript; charset=utf-8'],
  ['demo.css', [`${DEMO_PATH}/demo.css`], 'text/css; charset=utf-8'],
  ['favicon.svg', [`${DEMO_PATH}/favicon.svg`], 'image/svg+xml'],
];

/**
 * The widget's build without bundled workers or inline styles (altcha/external), its stylesheet, and the
 * PBKDF2 worker it solves challenges in (the page registers it), under dist/ of the altcha package.
 */
const WIDGET_FILES: ReadonlyArray<readonly [file: string, path: string, contentType: string]> = [
  ['external/altcha.min.js', `${DEMO_PATH}/altcha/altcha.js`, 'text/javascript; charset=utf-8'],
  ['external/altcha.css', `${DEMO_PATH}/altcha/altcha.css`, 'text/css; charset=utf-8'],
  ['workers/pbkdf2.js', `${DEMO_PATH}/altcha/pbkdf2.js`, 'text/javascript; charset=utf-8'],
];

export const DEMO_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  // The widget's proof-of-work runs in workers loaded from this origin.
  "worker-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The demo/ directory at the package root (holding index.html): two levels up from src/dev/ (tests, where
 * this module runs from source) or three from dist/src/dev/ (`npm start`); undefined when it is not there.
 */
export function findDemoDirectory(from: string = __dirname): string | undefined {
  const candidates = [join(from, '..', '..', 'demo'), join(from, '..', '..', '..', 'demo')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** The demo page's routes, and its documents for the gateway to hold as persisted documents. */
export function demoPage(options: { directory?: string | undefined } = {}): DevelopmentAdditions {
  const manifest = demoDocumentManifest();
  return { routes: demoRoutes(options, manifest), persistedDocuments: documentsById(manifest) };
}

/**
 * GET/HEAD handlers for /demo, /demo/ and the page's assets. When the files are not there (an image that
 * ships dist/ alone) /demo says so instead of failing start-up: the routes are wanted in development only.
 */
export function demoRoutes(
  options: { directory?: string | undefined } = {},
  manifest: PersistedQueryManifest = demoDocumentManifest(),
): Map<string, Handler> {
  const directory = 'directory' in options ? options.directory : findDemoDirectory();
  const routes = new Map<string, Handler>();
  if (directory === undefined) {
    const missing = send(
      'text/plain; charset=utf-8',
      Buffer.from('The demo page is not part of this build.\n'),
      404,
    );
    routes.set(DEMO_PATH, missing);
    routes.set(`${DEMO_PATH}/`, missing);
    return routes;
  }
  for (const [file, paths, contentType] of FILES) {
    const handler = send(contentType, readFileSync(join(directory, file)));
    for (const path of paths) routes.set(path, handler);
  }
  routes.set(
    DOCUMENTS_PATH,
    send('application/json; charset=utf-8', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)),
  );
  const widget = widgetDirectory();
  for (const [file, path, contentType] of WIDGET_FILES)
    routes.set(path, send(contentType, readFileSync(join(widget, file))));
  return routes;
}

/** dist/ of the altcha package: its entry point for require is dist/main/altcha.umd.cjs. */
function widgetDirectory(): string {
  return join(dirname(require.resolve('altcha')), '..');
}

function send(contentType: string, body: Buffer, status = 200): Handler {
  return (req, res) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': contentType,
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
