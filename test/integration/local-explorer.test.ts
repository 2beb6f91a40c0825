// The local explorer that `npm start` serves outside production: GraphiQL as the landing page of a browser's
// GET /graphql, with every script, style and font from the gateway itself (so it works offline, unlike Apollo
// Sandbox from Apollo's CDN), a page that says what to install when its packages are missing, and nothing of
// it in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoDirectory } from '../../src/dev/demo-page';
import { developmentAdditions } from '../../src/dev/development';
import { EXPLORER_CONTENT_SECURITY_POLICY, explorerPage, SANDBOX_URL } from '../../src/dev/explorer-page';
import { type Harness, startHarness } from '../support/gateway-harness';

/** What a browser sends when it navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function landingPage(url: string): Promise<Response> {
  return fetch(url, { headers: { accept: BROWSER_ACCEPT } });
}

/** The URLs a page makes the browser load: scripts' src and links' href (stylesheets, icon). */
function loadedBy(html: string): string[] {
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => /\b(?:src|href)="([^"]*)"/.exec(tag)?.[1] ?? []);
}

describe('the local explorer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ development: developmentAdditions() });
  });
  afterAll(() => h.close());

  it("answers a browser's GET /graphql with GraphiQL, whose every script, style and font comes from the gateway", async () => {
    const res = await landingPage(h.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>GraphQL explorer (local)</title>');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${EXPLORER_CONTENT_SECURITY_POLICY}">`,
    );
    expect(EXPLORER_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(EXPLORER_CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
    // The only other origin the page names is a link the user may click: Apollo Sandbox.
    expect(html.match(/https?:\/\/[^"\s<]+/g)).toEqual([SANDBOX_URL]);
    expect(html).not.toContain('embeddableSandbox');

    const assets = loadedBy(html);
    expect(assets).toEqual([
      '/demo/favicon.svg',
      '/explorer/graphiql.css',
      '/explorer/explorer.css',
      '/explorer/react.js',
      '/explorer/react-dom.js',
      '/explorer/graphiql.js',
      '/explorer/explorer.js',
    ]);
    const stylesheets: string[] = [];
    for (const path of assets) {
      const asset = await fetch(new URL(path, h.url));
      expect(asset.status, path).toBe(200);
      const type = asset.headers.get('content-type') ?? '';
      expect(type, path).toMatch(/^(text\/javascript|text\/css|image\/svg\+xml)/);
      expect(asset.headers.get('x-content-type-options'), path).toBe('nosniff');
      const body = await asset.text();
      if (type.startsWith('text/css')) stylesheets.push(body);
    }
    // Fonts and images in the stylesheets are data: URLs, never fetched from anywhere; nothing is @imported.
    const urls = stylesheets.flatMap((css) => [...css.matchAll(/url\(\s*["']?([^"')]*)/g)].map((m) => m[1]));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !url?.startsWith('data:') && !url?.startsWith('#'))).toEqual([]);
    expect(stylesheets.join('\n')).not.toMatch(/@import/);
    expect(stylesheets.join('\n')).toMatch(/@font-face/);
  });

  it('still answers GraphQL over GET to a client that does not ask for a page', async () => {
    const query = encodeURIComponent('{ serviceInfo { name } }');
    const res = await fetch(`${h.url}?query=${query}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await res.json()).toEqual({ data: { serviceInfo: { name: 'cognito-public-gateway' } } });
  });
});

describe('the local explorer without its packages (npm ci --omit=dev)', () => {
  it('says what to run instead, and still links the demo page and Apollo Sandbox', async () => {
    const explorer = explorerPage(findDemoDirectory(), () => undefined);
    expect(explorer.installed).toBe(false);
    const h = await startHarness({
      development: { routes: explorer.routes, landingPage: explorer.landingPage },
    });
    try {
      const html = await (await landingPage(h.url)).text();
      expect(html).toContain('The local explorer is not installed');
      expect(html).toContain('<code>npm ci --omit=dev</code> leaves them out');
      expect(html).toContain('Run <code>npm ci</code>');
      expect(html).toContain('href="/demo"');
      expect(html).toContain(`id="sandbox-link" href="${SANDBOX_URL}"`);
      expect(loadedBy(html)).toEqual([
        '/demo/favicon.svg',
        '/explorer/explorer.css',
        '/explorer/explorer.js',
      ]);
      expect((await fetch(new URL('/explorer/graphiql.js', h.url))).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe('in production', () => {
  it('serves no explorer, even when the development additions are passed', async () => {
    const h = await startHarness({ env: { NODE_ENV: 'production' }, development: developmentAdditions() });
    try {
      const res = await landingPage(h.url);
      expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
      expect(await res.text()).not.toContain('GraphiQL');
      for (const path of ['/explorer/graphiql.js', '/explorer/explorer.js'])
        expect((await fetch(new URL(path, h.url))).status, path).toBe(404);
    } finally {
      await h.close();
    }
  });
});
