// The local explorer (development only): GraphiQL as the landing page of GET /graphql for a browser. Apollo's
// own landing page loads Apollo Sandbox from Apollo's CDN and shows "you might be offline" without a network;
// this one is served whole by the gateway: the UMD builds of graphiql 3, react 18 and react-dom 18 (pinned
// devDependencies; graphiql's fonts are inside its stylesheet) under /explorer/, with the page's own script
// and style from demo/. It links to the demo page and to Apollo Sandbox, which frontend teams use when online.
// Without the packages (`npm ci --omit=dev`) the page says how to get them. The page carries its
// Content-Security-Policy in a <meta> element, since Apollo sends a landing page with its own headers only.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Handler } from '../node-server/http-adapter';
import { DEMO_PATH } from './demo-page';

export const EXPLORER_PATH = '/explorer';
/** Where Apollo Sandbox lives; the page adds `?endpoint=` with this gateway's /graphql. */
export const SANDBOX_URL = 'https://studio.apollographql.com/sandbox/explorer';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The packages' browser builds, in the order the page loads them: GraphiQL's UMD build reads React's globals. */
const PACKAGE_FILES: ReadonlyArray<readonly [pkg: string, file: string, path: string, contentType: string]> =
  [
    ['react', 'umd/react.production.min.js', `${EXPLORER_PATH}/react.js`, JS],
    ['react-dom', 'umd/react-dom.production.min.js', `${EXPLORER_PATH}/react-dom.js`, JS],
    ['graphiql', 'graphiql.min.js', `${EXPLORER_PATH}/graphiql.js`, JS],
    ['graphiql', 'graphiql.min.css', `${EXPLORER_PATH}/graphiql.css`, CSS],
  ];

/** The page's own files, in demo/. */
const OWN_FILES: ReadonlyArray<readonly [file: string, path: string, contentType: string]> = [
  ['explorer.js', `${EXPLORER_PATH}/explorer.js`, JS],
  ['explorer.css', `${EXPLORER_PATH}/explorer.css`, CSS],
];

export const EXPLORER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL's dialogs (settings, shortcuts) lock scrolling with a <style> element they write at run time.
  "style-src 'self' 'unsafe-inline'",
  // GraphiQL's fonts are data: URLs inside its stylesheet, which comes from this origin.
  'font-src data:',
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export interface ExplorerPage {
  /** GET routes of its files (none when they are missing). */
  routes: Map<string, Handler>;
  /** The Apollo plugin that answers a browser's GET /graphql with the page. */
  landingPage: ApolloServerPlugin<BaseContext>;
  /** Whether GraphiQL is there; otherwise the page says what to install. */
  installed: boolean;
}

/**
 * The explorer page and its files. `demoDirectory` holds explorer.js and explorer.css; `packageDirectory`
 * finds a package's root (node_modules), and answers undefined for one that is not installed.
 */
export function explorerPage(
  demoDirectory: string | undefined,
  packageDirectory: (name: string) => string | undefined = installedPackage,
): ExplorerPage {
  const routes = new Map<string, Handler>();
  if (demoDirectory !== undefined) {
    for (const [file, path, contentType] of OWN_FILES)
      routes.set(path, send(contentType, readFileSync(join(demoDirectory, file))));
  }
  const packageFiles = PACKAGE_FILES.map(([pkg, file, path, contentType]) => {
    const root = packageDirectory(pkg);
    const full = root === undefined ? undefined : join(root, file);
    return { path, contentType, full: full !== undefined && existsSync(full) ? full : undefined };
  });
  const installed = demoDirectory !== undefined && packageFiles.every(({ full }) => full !== undefined);
  if (installed) {
    for (const { path, contentType, full } of packageFiles)
      if (full !== undefined) routes.set(path, send(contentType, readFileSync(full)));
  }
  const html = installed ? explorerHtml() : missingHtml(demoDirectory !== undefined);
  return {
    routes,
    installed,
    landingPage: {
      async serverWillStart() {
        return {
          async renderLandingPage() {
            return { html };
          },
        };
      },
    },
  };
}

/** The package's root directory, or undefined when it is not installed (its package.json is always exported). */
function installedPackage(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

function head(scripts: readonly string[], styles: readonly string[]): string {
  return [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${EXPLORER_CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>GraphQL explorer (local)</title>',
    `<link rel="icon" href="${DEMO_PATH}/favicon.svg" type="image/svg+xml">`,
    ...styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    ...scripts.map((src) => `<script src="${src}" defer></script>`),
  ].join('\n    ');
}

/** The links bar: the page itself, the demo, and Sandbox (its endpoint filled in by explorer.js). */
const NAV = `<nav class="explorer-bar" aria-label="Explorers">
      <span><strong>GraphiQL</strong>, served by this gateway (works offline)</span>
      <a href="${DEMO_PATH}">Demo page</a>
      <span><a id="sandbox-link" href="${SANDBOX_URL}" rel="noreferrer">Open in Apollo Sandbox</a>
        <span class="note">(online: loads from Apollo)</span></span>
    </nav>`;

function explorerHtml(): string {
  const scripts = PACKAGE_FILES.filter(([, , , type]) => type === JS).map(([, , path]) => path);
  const styles = [`${EXPLORER_PATH}/graphiql.css`, `${EXPLORER_PATH}/explorer.css`];
  return `<!doctype html>
<html lang="en">
  <head>
    ${head([...scripts, `${EXPLORER_PATH}/explorer.js`], styles)}
  </head>
  <body>
    ${NAV}
    <div id="graphiql" class="explorer-main">Loading GraphiQL…</div>
  </body>
</html>
`;
}

function missingHtml(withOwnFiles: boolean): string {
  const own = withOwnFiles ? [`${EXPLORER_PATH}/explorer.js`] : [];
  return `<!doctype html>
<html lang="en">
  <head>
    ${head(own, withOwnFiles ? [`${EXPLORER_PATH}/explorer.css`] : [])}
  </head>
  <body>
    ${NAV}
    <main id="explorer-missing" class="explorer-missing">
      <h1>The local explorer is not installed</h1>
      <p>GraphiQL and React are devDependencies of the gateway, so <code>npm ci --omit=dev</code> leaves them out.
      Run <code>npm ci</code> (or <code>npm install</code>) in the checkout and restart the gateway to get GraphiQL
      here, offline. Meanwhile: the demo page, or Apollo Sandbox when online (links above).</p>
    </main>
  </body>
</html>
`;
}

function send(contentType: string, body: Buffer): Handler {
  return (req, res) => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
