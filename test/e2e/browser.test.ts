// Browser tests in headless Chromium (Debian's, driven by playwright-core; never a downloaded browser): the
// demo page runs the whole flow against the local stand-in, also with the proof-of-work challenge on (the
// ALTCHA widget solves it in the browser, and the solve time is measured), and signs in (with the password, or a
// one-time code by email or SMS, on a stand-in whose clock a test moves past a code's session), refreshes and
// signs out with the refresh token in the gateway's HttpOnly cookie, where page script never sees it; pages from
// other origins call the gateway with fetch, through the browser's own CORS preflight, allowed or refused.
// Without Chromium the suite says so in one loud line and skips.
import { access, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { demoDocumentManifest } from '../../src/dev/demo-documents';
import { DEMO_CONTENT_SECURITY_POLICY } from '../../src/dev/demo-page';
import { developmentAdditions } from '../../src/dev/development';
import { EXPLORER_CONTENT_SECURITY_POLICY, SANDBOX_URL } from '../../src/dev/explorer-page';
import { ErrorCode } from '../../src/errors';
import { sha256Hex } from '../../src/graphql/persisted-document-manifest';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { CHROMIUM_INSTALL_TIMEOUT_MS, launchChromiumOrSkip } from '../support/chromium';
import { type Harness, startHarness } from '../support/gateway-harness';
import { ManualClock } from '../support/session-cookies';
import { RESEND_CONFIRMATION_CODE } from '../support/user-pool-requests';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
/** The README's picture; rewritten when missing or with UPDATE_DOCS_SCREENSHOT=1, so runs leave git clean. */
const DOCS_SCREENSHOT = join(ROOT, 'docs', 'demo.png');

interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** A tiny app on another port (so another origin) with a blank page to run fetch from. */
async function startPageServer(title: string): Promise<PageServer> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="icon" href="data:,"></head><body><h1>${title}</h1></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let browser: Browser | undefined;
let standIn: LocalCognito | undefined;
let harness: Harness;
let allowedApp: PageServer | undefined;
let refusedApp: PageServer | undefined;
/** What reached the gateway's /graphql: method and Origin, in order. */
const gatewayRequests: Array<{ method: string; origin: string | undefined }> = [];

beforeAll(async () => {
  browser = await launchChromiumOrSkip();
  if (!browser) return;
  [allowedApp, refusedApp] = await Promise.all([
    startPageServer('An allowed app'),
    startPageServer('Some other site'),
  ]);
  // Codes in sequence, so that "the old code" is certainly not the new one and the screenshot is stable.
  let sent = 0;
  standIn = await startLocalCognito({ generateCode: () => String(314_159 + 271_828 * ++sent).slice(-6) });
  harness = await startHarness({
    standIn,
    env: { CORS_ORIGINS: allowedApp.origin },
    // As `npm start` in local mode: the demo page shows the embedded stand-in's outbox.
    development: developmentAdditions({ outbox: standIn.outbox }),
  });
  harness.gateway.httpServer.on('request', (req) => {
    if (req.url?.startsWith('/graphql'))
      gatewayRequests.push({ method: req.method ?? '', origin: req.headers.origin });
  });
}, CHROMIUM_INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await standIn?.close();
  await Promise.all([allowedApp?.close(), refusedApp?.close()]);
});

/** The browser, or the test is skipped (launchChromiumOrSkip has said why, loudly). */
function needBrowser(ctx: TestContext): Browser {
  if (!browser) ctx.skip();
  return browser as Browser;
}

async function withPage<T>(ctx: TestContext, run: (page: Page, context: BrowserContext) => Promise<T>) {
  const context = await needBrowser(ctx).newContext({ viewport: { width: 960, height: 640 } });
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Console errors, failed loads and uncaught exceptions of a page: a CSP violation shows up here. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  return problems;
}

/** The JSON bodies the page POSTs to /graphql, in order. */
function graphqlBodiesOf(page: Page): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST')
      bodies.push(request.postDataJSON() as Record<string, unknown>);
  });
  return bodies;
}

/**
 * Submits a demo form and waits for its status line to settle; resolves with what the user sees. `button` is
 * the accessible name of the button to press, when not the form's first.
 */
async function submit(
  page: Page,
  form: 'sign-up' | 'resend' | 'confirm' | 'sign-in' | 'sign-in-step' | 'forgot-password' | 'reset-password',
  button?: string,
) {
  const status = page.locator(`#${form}-status`);
  await status.evaluate((node) => node.removeAttribute('data-state'));
  if (button) await page.locator(`#${form}`).getByRole('button', { name: button, exact: true }).click();
  else await page.click(`#${form} button[type=submit]`);
  await page.waitForSelector(`#${form}-status[data-state="ok"], #${form}-status[data-state="error"]`);
  return {
    state: await status.getAttribute('data-state'),
    text: ((await status.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
  };
}

const demoUrl = () => harness.url.replace(/\/graphql$/, '/demo');

describe('the demo page', () => {
  it('signs up, resends and confirms, showing the masked destination and a wrong code as CODE_MISMATCH', async (ctx) => {
    await withPage(ctx, async (page) => {
      const problems = problemsOf(page);
      const sent = graphqlBodiesOf(page);
      const response = await page.goto(demoUrl());
      expect(response?.headers()).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      });
      expect(await page.title()).toBe('Cognito public gateway demo');

      const username = 'jane@example.com';
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toEqual({
        state: 'ok',
        text: 'Account created. We sent a code to j***@e*** by email. Enter it in step 3.',
      });
      // The sign-up sent the email attribute, since the username looks like an email.
      const signUpCall = harness.standIn.calls.find((call) => call.action === 'SignUp');
      expect(signUpCall?.body).toMatchObject({ UserAttributes: [{ Name: 'email', Value: username }] });
      const firstCode = harness.standIn.outbox.latestCode(username);
      expect(firstCode).toMatch(/^\d{6}$/);

      // The username carries over to the next steps.
      expect(await page.inputValue('#resend input[name=username]')).toBe(username);
      expect(await page.inputValue('#confirm input[name=username]')).toBe(username);

      expect(await submit(page, 'resend')).toEqual({
        state: 'ok',
        text: 'We sent a new code to j***@e*** by email. Earlier codes no longer work.',
      });
      const newCode = harness.standIn.outbox.latestCode(username);
      expect(newCode).not.toBe(firstCode);

      await mkdir(ARTIFACTS, { recursive: true });
      const screenshot = join(ARTIFACTS, 'demo-after-resend.png');
      await page.mouse.move(0, 0); // no hover colour on the button just clicked
      await page.screenshot({ path: screenshot, fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1' || !(await exists(DOCS_SCREENSHOT))) {
        await mkdir(join(ROOT, 'docs'), { recursive: true });
        await copyFile(screenshot, DOCS_SCREENSHOT);
      }

      await page.fill('#confirm input[name=code]', firstCode ?? '');
      expect(await submit(page, 'confirm')).toEqual({
        state: 'error',
        text: 'That code is not right. Check the newest message, or resend. CODE_MISMATCH',
      });

      await page.fill('#confirm input[name=code]', newCode ?? '');
      expect(await submit(page, 'confirm')).toEqual({
        state: 'ok',
        text: 'Confirmed. jane@example.com is signed in, without a second code.',
      });
      // Confirming signed the user in with the session ConfirmSignUp answered.
      expect(harness.standIn.calls.map((call) => call.action)).toEqual([
        'SignUp',
        'ResendConfirmationCode',
        'ConfirmSignUp',
        'ConfirmSignUp',
        'InitiateAuth',
      ]);

      // A resend after confirmation explains itself too.
      expect(await submit(page, 'resend')).toEqual({
        state: 'error',
        text: 'This account is already confirmed. You can sign in. ALREADY_CONFIRMED',
      });
      // The page loaded its script, style and icon from its own origin with nothing refused by the CSP.
      expect(problems).toEqual([]);
      // Every request named a trusted document by its id, as a frontend built with its manifest does.
      const ids = new Set(demoDocumentManifest().operations.map(({ id }) => `sha256:${id}`));
      expect(sent.map((body) => Object.keys(body).sort())).toEqual(
        sent.map(() => ['documentId', 'variables']),
      );
      expect(sent.every((body) => ids.has(String(body.documentId)))).toBe(true);
      expect(sent.length).toBe(7); // serviceInfo, signUp, resend, two confirms, signIn, the last resend
    });
  });

  it('falls back to sending its documents to a gateway whose own manifest lacks them (development)', async (ctx) => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-manifest-'));
    const other = 'query Other { serviceInfo { challengeMode } }';
    const manifest = join(dir, 'persisted-documents.json');
    await writeFile(manifest, JSON.stringify({ [sha256Hex(other)]: other }));
    const h = await startHarness({
      standIn,
      env: { TRUSTED_DOCUMENTS_FILE: manifest },
      development: developmentAdditions(),
    });
    try {
      await withPage(ctx, async (page) => {
        const sent = graphqlBodiesOf(page);
        await page.goto(h.url.replace(/\/graphql$/, '/demo'));
        await page.fill('#resend input[name=username]', 'nobody-here@example.com');
        expect(await submit(page, 'resend')).toEqual({
          state: 'error',
          text: 'There is no account with this username. Sign up first. USER_NOT_FOUND',
        });
        // By id first (refused: not in that manifest), then the document itself, for serviceInfo and the resend.
        expect(sent.map((body) => ('documentId' in body ? 'id' : 'query'))).toEqual([
          'id',
          'query',
          'id',
          'query',
        ]);
      });
    } finally {
      await h.close();
    }
  });

  it('signs up, confirms, then resets the forgotten password with the reset code, explaining NO_RECOVERY_DESTINATION and a wrong code', async (ctx) => {
    await withPage(ctx, async (page) => {
      const problems = problemsOf(page);
      await page.goto(demoUrl());
      const username = 'forgetful@example.com';
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toMatchObject({ state: 'ok' });
      // The username carries over to the reset card's two forms too.
      expect(await page.inputValue('#forgot-password input[name=username]')).toBe(username);
      expect(await page.inputValue('#reset-password input[name=username]')).toBe(username);

      // Before confirmation the email is not verified: there is nowhere to send a reset code.
      expect(await submit(page, 'forgot-password')).toEqual({
        state: 'error',
        text:
          'This account has no verified email address or phone number to send a reset code to. ' +
          'If it was never confirmed, confirm it first. NO_RECOVERY_DESTINATION',
      });

      await page.fill('#confirm input[name=code]', harness.standIn.outbox.latestCode(username) ?? '');
      expect(await submit(page, 'confirm')).toEqual({
        state: 'ok',
        text: 'Confirmed. forgetful@example.com is signed in, without a second code.',
      });

      const callsBefore = harness.standIn.calls.length;
      expect(await submit(page, 'forgot-password')).toEqual({
        state: 'ok',
        text: 'We sent a reset code to f***@e*** by email. Enter it below with a new password within an hour.',
      });
      const resetCodes = harness.standIn.outbox
        .list({ username })
        .filter((message) => message.reason === 'ForgotPassword');
      expect(resetCodes).toHaveLength(1);
      const resetCode = resetCodes[0]?.code ?? '';
      expect(resetCode).toMatch(/^\d{6}$/);
      // The code field is focused, ready for what arrived by email.
      expect(await page.locator('#reset-password input[name=code]:focus').count()).toBe(1);

      await page.fill('#reset-password input[name=code]', '000000');
      await page.fill('#reset-password input[name=password]', 'New-Passw0rd-long-enough');
      expect(await submit(page, 'reset-password')).toEqual({
        state: 'error',
        text: 'That code is not right. Check the newest reset message, or ask for a new code. CODE_MISMATCH',
      });

      await page.fill('#reset-password input[name=code]', ` ${resetCode} `);
      expect(await submit(page, 'reset-password')).toEqual({
        state: 'ok',
        text: 'Password changed. forgetful@example.com can now sign in with the new password.',
      });
      // The code and the new password are not left in the form.
      expect(await page.inputValue('#reset-password input[name=code]')).toBe('');
      expect(await page.inputValue('#reset-password input[name=password]')).toBe('');
      const resetCalls = harness.standIn.calls.slice(callsBefore);
      expect(resetCalls.map((call) => call.action)).toEqual([
        'ForgotPassword',
        'ConfirmForgotPassword',
        'ConfirmForgotPassword',
      ]);
      expect(resetCalls.at(-1)?.body).toMatchObject({
        Username: username,
        ConfirmationCode: resetCode,
        Password: 'New-Passw0rd-long-enough',
      });
      expect(problems).toEqual([]);
    });
  });

  it('shows each code the local stand-in sends as it arrives, with its destination and medium, and the code shown confirms the user', async (ctx) => {
    await withPage(ctx, async (page) => {
      const problems = problemsOf(page);
      await page.goto(demoUrl());
      await page.waitForSelector('#outbox:not([hidden])');
      const username = 'outbox.reader@example.com';
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toMatchObject({ state: 'ok' });
      const newest = page.locator('#outbox-messages li').first();
      await expect.poll(() => newest.textContent()).toContain(username);
      expect(await newest.locator('.outbox-what').textContent()).toBe(`Sign-up code to ${username} by email`);
      expect(await newest.getAttribute('data-medium')).toBe('EMAIL');

      // A resend arrives on top, and its code (not the first) is the one that works.
      expect(await submit(page, 'resend')).toMatchObject({ state: 'ok' });
      await expect
        .poll(() => newest.locator('.outbox-what').textContent())
        .toBe(`New sign-up code to ${username} by email`);
      const shown = (await newest.locator('.outbox-code').textContent()) ?? '';
      expect(shown).toMatch(/^\d{6}$/);
      await page.fill('#confirm input[name=code]', shown);
      expect(await submit(page, 'confirm')).toEqual({
        state: 'ok',
        text: `Confirmed. ${username} is signed in, without a second code.`,
      });
      expect(harness.standIn.calls.filter((call) => call.action === 'ConfirmSignUp').at(-1)).toMatchObject({
        body: { Username: username, ConfirmationCode: shown },
      });
      expect(problems).toEqual([]);
    });
  });

  it('shows no outbox in front of a Cognito that is not the embedded stand-in', async (ctx) => {
    const h = await startHarness({ standIn, development: developmentAdditions() });
    try {
      await withPage(ctx, async (page) => {
        const outboxAnswers: number[] = [];
        page.on('response', (response) => {
          if (new URL(response.url()).pathname === '/demo/outbox') outboxAnswers.push(response.status());
        });
        await page.goto(h.url.replace(/\/graphql$/, '/demo'));
        await page.waitForLoadState('networkidle');
        expect(outboxAnswers).toEqual([404]);
        expect(await page.locator('#outbox').isHidden()).toBe(true);
      });
    } finally {
      await h.close();
    }
  });

  it('keeps the username across a reload and says what RATE_LIMITED means and when to retry', async (ctx) => {
    await withPage(ctx, async (page) => {
      await page.goto(demoUrl());
      await page.fill('#confirm input[name=username]', 'sam@example.com');
      await page.reload();
      expect(await page.inputValue('#sign-up input[name=username]')).toBe('sam@example.com');

      // The gateway's own limits are off in this harness: answer as they would.
      await page.route('**/graphql', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            errors: [
              {
                message: 'Too many attempts; try again in 42 s.',
                extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42 },
              },
            ],
          }),
        }),
      );
      expect(await submit(page, 'resend')).toEqual({
        state: 'error',
        text: 'Too many attempts. Please wait 42 seconds before trying again. RATE_LIMITED',
      });
      await page.unroute('**/graphql');
      await page.route('**/graphql', (route) => route.abort('connectionrefused'));
      expect(await submit(page, 'resend')).toEqual({
        state: 'error',
        text: 'Could not reach the gateway. Check your connection and try again. NETWORK_ERROR',
      });
    });
  });

  it('has a sentence for every error code the gateway documents', async () => {
    const script = await readFile(join(ROOT, 'demo', 'demo.js'), 'utf8');
    const missing = Object.values(ErrorCode).filter((code) => !new RegExp(`^\\s+${code}:`, 'm').test(script));
    expect(missing).toEqual([]);
  });
});

/** The gateway's refresh-token cookie (SESSION_COOKIE_NAME's default). */
const SESSION_COOKIE = '__Host-cognito-refresh';

/**
 * Every response body the page receives (documents, scripts, /graphql answers, the outbox), as text; await
 * `settled()` before reading `bodies`.
 */
function responseBodiesOf(page: Page) {
  const reads: Array<Promise<void>> = [];
  const bodies: string[] = [];
  page.on('response', (response) => {
    reads.push(
      response.text().then(
        (text) => void bodies.push(text),
        () => {}, // a redirect or a body the browser already dropped: nothing reached the page
      ),
    );
  });
  return { bodies, settled: () => Promise.all(reads) };
}

/** The session cookie's values in the browser's jar (none once cleared). */
async function sessionCookies(context: BrowserContext) {
  return (await context.cookies()).filter((cookie) => cookie.name === SESSION_COOKIE);
}

/** Clicks a button of the signed-in card and waits for its status line to settle. */
async function clickSession(page: Page, button: 'refresh' | 'sign-out') {
  const status = page.locator('#session-status');
  await status.evaluate((node) => node.removeAttribute('data-state'));
  await page.click(`#${button}`);
  await page.waitForSelector('#session-status[data-state="ok"], #session-status[data-state="error"]');
  return {
    state: await status.getAttribute('data-state'),
    text: ((await status.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
  };
}

describe('signing in on the demo page', () => {
  it('signs the user in on confirming, refreshes and signs out, and never lets page script near the refresh token', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const received = responseBodiesOf(page);
      await page.goto(demoUrl());
      await page.waitForSelector('#outbox:not([hidden])');
      expect(await page.textContent('#session-title')).toBe('Not signed in');

      const username = 'signed.in@example.com';
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toMatchObject({ state: 'ok' });
      // The code as the user reads it, on the page's outbox card.
      const newest = page.locator('#outbox-messages li').first();
      await expect.poll(() => newest.textContent()).toContain(username);
      await page.fill(
        '#confirm input[name=code]',
        (await newest.locator('.outbox-code').textContent()) ?? '',
      );
      expect(await submit(page, 'confirm')).toEqual({
        state: 'ok',
        text: `Confirmed. ${username} is signed in, without a second code.`,
      });
      // Signed in with the session ConfirmSignUp answered: no password, and no second code sent.
      expect(
        harness.standIn.calls.filter((call) => call.action === 'InitiateAuth').at(-1)?.body,
      ).toMatchObject({
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: username },
        Session: expect.any(String),
      });
      expect(harness.standIn.outbox.list({ username })).toHaveLength(1);

      // The card shows who, from the ID token's claims as the page decoded them, and a live countdown.
      await received.settled();
      const userSub = received.bodies
        .map((body) => /"userSub":"([^"]+)"/.exec(body)?.[1])
        .find((sub) => sub !== undefined);
      expect(await page.getAttribute('#session', 'data-state')).toBe('signed-in');
      expect(await page.textContent('#session-title')).toBe('Signed in');
      expect(await page.textContent('#session-email')).toBe(username);
      expect(await page.textContent('#session-sub')).toBe(userSub);
      const shown = (await page.textContent('#session-expiry')) ?? '';
      expect(shown).toMatch(/^(1:00:00|59:[0-5]\d)$/);
      await expect.poll(() => page.textContent('#session-expiry'), { timeout: 5_000 }).not.toBe(shown);

      // The browser keeps the sealed refresh token as the gateway set it: HttpOnly, Secure, SameSite=Strict.
      const sealed = new Set<string>();
      const [cookie] = await sessionCookies(context);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
      sealed.add(cookie?.value ?? '');

      await mkdir(ARTIFACTS, { recursive: true });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(ARTIFACTS, 'demo-signed-in.png'), fullPage: true });

      expect(await clickSession(page, 'refresh')).toEqual({
        state: 'ok',
        text: `New tokens for ${username}, valid for 60 minutes.`,
      });
      for (const { value } of await sessionCookies(context)) sealed.add(value);
      // Cognito's own refresh token, as the gateway (having opened the cookie) handed it to the stand-in.
      const refreshed = harness.standIn.calls.filter((call) => call.action === 'GetTokensFromRefreshToken');
      const cognitoRefreshToken = (refreshed.at(-1)?.body as { RefreshToken?: string })?.RefreshToken ?? '';
      expect(cognitoRefreshToken.length).toBeGreaterThan(20);

      // Tokens live in the page's memory only: a reload forgets them, and the cookie brings new ones.
      await page.reload();
      expect(await page.getAttribute('#session', 'data-state')).toBe('signed-out');
      expect(await clickSession(page, 'refresh')).toMatchObject({ state: 'ok' });
      expect(await page.textContent('#session-email')).toBe(username);
      for (const { value } of await sessionCookies(context)) sealed.add(value);

      // What page script can reach: cookies, storage, and every response body it was given.
      const reachable = await page.evaluate(() => {
        const w = globalThis as unknown as {
          document: { cookie: string };
          localStorage: Storage;
          sessionStorage: Storage;
        };
        const entries = (storage: Storage) =>
          Array.from({ length: storage.length }, (_, i) => {
            const key = storage.key(i) ?? '';
            return `${key}=${storage.getItem(key)}`;
          });
        return {
          cookie: w.document.cookie,
          storage: [...entries(w.localStorage), ...entries(w.sessionStorage)].join('\n'),
        };
      });
      expect(reachable.cookie).not.toContain(SESSION_COOKIE);
      await received.settled();
      const tokenBodies = received.bodies.filter((body) => body.includes('"accessToken"'));
      expect(tokenBodies).toHaveLength(3); // the sign-in and the two refreshes
      for (const secret of [cognitoRefreshToken, ...sealed]) {
        expect(secret.length).toBeGreaterThan(20);
        expect(reachable.cookie).not.toContain(secret);
        expect(reachable.storage).not.toContain(secret);
        expect(received.bodies.filter((body) => body.includes(secret))).toEqual([]);
      }
      // No token at all in storage (a JWT starts with base64url "{" : eyJ), and none in the payloads either.
      expect(reachable.storage).not.toMatch(/eyJ/);
      for (const body of tokenBodies) expect(JSON.parse(body).data).toMatchObject(expect.anything());
      expect(tokenBodies.every((body) => body.includes('"refreshToken":null'))).toBe(true);

      expect(await clickSession(page, 'sign-out')).toEqual({
        state: 'ok',
        text: 'Signed out: any refresh token this browser held is revoked at Cognito and its cookie cleared.',
      });
      expect(await page.getAttribute('#session', 'data-state')).toBe('signed-out');
      expect(await sessionCookies(context)).toEqual([]);
      expect(
        harness.standIn.calls.filter((call) => call.action === 'RevokeToken').at(-1)?.body,
      ).toMatchObject({
        Token: cognitoRefreshToken,
      });
      expect(await clickSession(page, 'refresh')).toEqual({
        state: 'error',
        text: 'Not signed in, or the sign-in has ended (signed out, expired or revoked). Please sign in. NOT_SIGNED_IN',
      });
      expect(problems).toEqual([]);
    });
  });

  it('signs a returning user in with the password, then asks for the emailed sign-in code or a new password, and explains a wrong password and a wrong code', async (ctx) => {
    await withPage(ctx, async (page) => {
      const problems = problemsOf(page);
      const password = 'Returning-Passw0rd';
      const username = 'returning@example.com';
      harness.standIn.seedUser(harness.poolId, {
        username,
        password,
        attributes: { email: username },
        verified: ['email'],
        mfa: { enabled: ['EMAIL_OTP'] },
      });
      await page.goto(demoUrl());
      await page.waitForSelector('#outbox:not([hidden])');
      await page.fill('#sign-in input[name=username]', username);
      await page.fill('#sign-in input[name=password]', 'not-the-password');
      expect(await submit(page, 'sign-in')).toEqual({
        state: 'error',
        text: 'The username or password is not right. NOT_AUTHORIZED',
      });
      expect(await page.isHidden('#sign-in-step')).toBe(true);

      await page.fill('#sign-in input[name=password]', password);
      expect(await submit(page, 'sign-in')).toEqual({
        state: 'ok',
        text: 'Password accepted. One more step:',
      });
      expect(await page.textContent('#sign-in-step-prompt')).toBe(
        'We sent a sign-in code to r***@e*** by email. Enter it here.',
      );
      expect(await page.isVisible('#sign-in-step input[name=code]')).toBe(true);
      expect(await page.isHidden('#sign-in-step input[name=newPassword]')).toBe(true);
      // The password is not left in the form.
      expect(await page.inputValue('#sign-in input[name=password]')).toBe('');
      // The sign-in code shows on the outbox card, labelled as one.
      const newest = page.locator('#outbox-messages li').first();
      await expect.poll(() => newest.getAttribute('data-purpose')).toBe('sign-in');
      expect(await newest.locator('.outbox-what').textContent()).toBe(`Sign-in code to ${username} by email`);
      const code = (await newest.locator('.outbox-code').textContent()) ?? '';
      expect(code).toBe(harness.standIn.outbox.latestCode(username, 'sign-in'));

      await page.fill('#sign-in-step input[name=code]', code === '000000' ? '111111' : '000000');
      expect(await submit(page, 'sign-in-step')).toEqual({
        state: 'error',
        text: 'That code is not right. Check the newest sign-in code. CODE_MISMATCH',
      });
      await page.fill('#sign-in-step input[name=code]', code);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      expect(await page.isHidden('#sign-in-step')).toBe(true);
      expect(await page.textContent('#session-email')).toBe(username);

      // An invited user with a temporary password chooses a new one, and is signed in.
      const invited = 'invited@example.com';
      harness.standIn.seedUser(harness.poolId, {
        username: invited,
        password: 'Temporary-Passw0rd',
        attributes: { email: invited },
        verified: ['email'],
        status: 'FORCE_CHANGE_PASSWORD',
      });
      await page.fill('#sign-in input[name=username]', invited);
      await page.fill('#sign-in input[name=password]', 'Temporary-Passw0rd');
      expect(await submit(page, 'sign-in')).toEqual({
        state: 'ok',
        text: 'Password accepted. One more step:',
      });
      expect(await page.textContent('#sign-in-step-prompt')).toBe(
        'This account has a temporary password: choose a new one to finish signing in.',
      );
      expect(await page.isHidden('#sign-in-step input[name=code]')).toBe(true);
      await page.fill('#sign-in-step input[name=newPassword]', 'Chosen-Passw0rd-long');
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${invited}.` });
      expect(
        harness.standIn.calls.filter((call) => call.action === 'RespondToAuthChallenge').at(-1)?.body,
      ).toMatchObject({
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: 'Chosen-Passw0rd-long' },
      });
      expect(await page.textContent('#session-email')).toBe(invited);
      expect(problems).toEqual([]);
    });
  });
});

describe('one-time sign-in codes on the demo page', () => {
  // A stand-in of its own, on a clock the tests move: a sign-in code's session ends after the app client's
  // AuthSessionValidity (3 minutes by default) on the stand-in's clock, and moving the shared stand-in's clock
  // would date the other suites' tokens ahead.
  const clock = new ManualClock();
  let otpStandIn: LocalCognito | undefined;
  let h: Harness;
  beforeAll(async () => {
    if (!browser) return;
    let sent = 0;
    otpStandIn = await startLocalCognito({
      clock,
      generateCode: () => String(271_828 + 314_159 * ++sent).slice(-6),
    });
    h = await startHarness({
      standIn: otpStandIn,
      development: developmentAdditions({ outbox: otpStandIn.outbox }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await otpStandIn?.close();
  });

  const AUTH_SESSION_VALIDITY_MS = 3 * 60_000;
  const WRONG_CODE = '000000';

  /** The body of the stand-in's newest call of this action. */
  function lastCall(action: string): Record<string, unknown> | undefined {
    return h.standIn.calls.filter((call) => call.action === action).at(-1)?.body as
      | Record<string, unknown>
      | undefined;
  }

  /** A confirmed user whose email address (and any phone number given) is verified: offered a code by either. */
  function seed(username: string, attributes: Record<string, string> = {}, password?: string) {
    h.standIn.seedUser(h.poolId, {
      username,
      attributes: { email: username, ...attributes },
      verified: attributes.phone_number ? ['email', 'phone_number'] : ['email'],
      ...(password && { password }),
    });
  }

  async function openDemo(page: Page) {
    await page.goto(h.url.replace(/\/graphql$/, '/demo'));
    await page.waitForSelector('#outbox:not([hidden])');
  }

  /**
   * The newest sign-in code as the user reads it on the outbox card, once the card shows the one the stand-in
   * sent last (a second code to the same address reads the same but for the code).
   */
  async function signInCodeOnCard(page: Page, username: string, what: string): Promise<string> {
    const sent = h.standIn.outbox.latestCode(username, 'sign-in');
    expect(sent).toMatch(/^\d{6}$/);
    const newest = page.locator('#outbox-messages li').first();
    await expect.poll(() => newest.locator('.outbox-code').textContent()).toBe(sent);
    expect(await newest.getAttribute('data-purpose')).toBe('sign-in');
    expect(await newest.locator('.outbox-what').textContent()).toBe(what);
    return (await newest.locator('.outbox-code').textContent()) ?? '';
  }

  /** The signed-in card shows the user, and the refresh cookie is in the jar, HttpOnly: never in document.cookie. */
  async function expectSignedIn(page: Page, context: BrowserContext, email: string) {
    expect(await page.getAttribute('#session', 'data-state')).toBe('signed-in');
    expect(await page.textContent('#session-title')).toBe('Signed in');
    expect(await page.textContent('#session-email')).toBe(email);
    expect(await page.isHidden('#sign-in-step')).toBe(true);
    const [cookie] = await sessionCookies(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    const scriptSees = await page.evaluate(
      () => (globalThis as unknown as { document: { cookie: string } }).document.cookie,
    );
    expect(scriptSees).not.toContain(SESSION_COOKIE);
    expect(scriptSees).not.toContain(cookie?.value);
  }

  it('signs in with a code sent by email, asking only for the username, and the code on the outbox card signs in', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const username = 'passwordless@example.com';
      seed(username);
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      // The password field stays empty: this button needs only the username.
      expect(await submit(page, 'sign-in', 'Email me a code')).toEqual({
        state: 'ok',
        text: 'Code sent. One more step:',
      });
      expect(lastCall('InitiateAuth')).toEqual(
        expect.objectContaining({
          AuthFlow: 'USER_AUTH',
          AuthParameters: {
            USERNAME: username,
            SECRET_HASH: expect.any(String),
            PREFERRED_CHALLENGE: 'EMAIL_OTP',
          },
        }),
      );
      expect(await page.textContent('#sign-in-step-prompt')).toBe(
        'We sent a sign-in code to p***@e*** by email. Enter it here.',
      );
      // The code field is focused, ready for what arrived; nothing else of the step shows.
      expect(await page.locator('#sign-in-step input[name=code]:focus').count()).toBe(1);
      expect(await page.isHidden('#sign-in-factors')).toBe(true);
      expect(await page.isHidden('#sign-in-step input[name=password]')).toBe(true);

      const code = await signInCodeOnCard(page, username, `Sign-in code to ${username} by email`);
      await page.fill('#sign-in-step input[name=code]', code);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      expect(lastCall('RespondToAuthChallenge')).toMatchObject({
        ChallengeName: 'EMAIL_OTP',
        ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code },
      });
      await expectSignedIn(page, context, username);
      // The card's own line follows: no stale "Code sent" once signed in, nor "Signed in" once signed out.
      expect(await page.textContent('#sign-in-status')).toBe(`Signed in as ${username}.`);
      expect(await clickSession(page, 'sign-out')).toMatchObject({ state: 'ok' });
      expect(((await page.textContent('#sign-in-status')) ?? '').trim()).toBe('');
      expect(problems).toEqual([]);
    });
  });

  it('forgets a step asked for one username when the username changes, so that no stale code form or factor list stays', async (ctx) => {
    await withPage(ctx, async (page) => {
      const username = 'changes-mind@example.com';
      seed(username);
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      expect(await submit(page, 'sign-in', 'Email me a code')).toMatchObject({ state: 'ok' });
      expect(await page.isVisible('#sign-in-step')).toBe(true);
      await page.fill('#sign-in input[name=username]', 'someone-else@example.com');
      expect(await page.isHidden('#sign-in-step')).toBe(true);
      expect(((await page.textContent('#sign-in-status')) ?? '').trim()).toBe('');
    });
  });

  it('offers other ways to sign in as buttons, and signs in with a code sent by text message', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const username = 'texted@example.com';
      const phone = '+14155550100';
      seed(username, { phone_number: phone });
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      expect(await submit(page, 'sign-in', 'Other ways to sign in')).toEqual({
        state: 'ok',
        text: 'One more step:',
      });
      // The username alone: Cognito answers with the factors it offers this user.
      expect((lastCall('InitiateAuth') as { AuthParameters: object }).AuthParameters).toEqual({
        USERNAME: username,
        SECRET_HASH: expect.any(String),
      });
      expect(await page.textContent('#sign-in-step-prompt')).toBe('Choose how to sign in:');
      const factors = page.getByRole('group', { name: 'Choose how to sign in:' }).getByRole('button');
      expect(await factors.allTextContents()).toEqual([
        'Use my password',
        'Email me a code',
        'Text me a code',
      ]);
      expect(await page.locator('#sign-in-factors button:focus').textContent()).toBe('Use my password');
      // Nothing to type and nothing to continue with until a factor is chosen.
      expect(await page.locator('#sign-in-step input:visible').count()).toBe(0);
      expect(await page.isHidden('#sign-in-step button[type=submit]')).toBe(true);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(ARTIFACTS, 'demo-sign-in-choice.png'), fullPage: true });

      // A change of mind: the password's field shows, then goes when a code is chosen instead.
      await factors.getByText('Use my password', { exact: true }).click();
      expect(await page.isVisible('#sign-in-step input[name=password]')).toBe(true);
      expect(await submit(page, 'sign-in-step', 'Text me a code')).toEqual({
        state: 'ok',
        text: 'Code sent. Enter it above.',
      });
      expect(lastCall('RespondToAuthChallenge')).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE' });
      expect(
        (lastCall('RespondToAuthChallenge') as { ChallengeResponses: object }).ChallengeResponses,
      ).toEqual({
        USERNAME: username,
        SECRET_HASH: expect.any(String),
        ANSWER: 'SMS_OTP',
      });
      expect(await page.textContent('#sign-in-step-prompt')).toBe(
        'We sent a sign-in code to +*******0100 by text message. Enter it here.',
      );
      expect(await page.isHidden('#sign-in-factors')).toBe(true);
      expect(await page.locator('#sign-in-step input[name=code]:focus').count()).toBe(1);

      const code = await signInCodeOnCard(
        page,
        username,
        `Sign-in code to ${phone} by text message (SMS) (for ${username})`,
      );
      expect(await page.getAttribute('#outbox-messages li:first-child', 'data-medium')).toBe('SMS');
      await page.fill('#sign-in-step input[name=code]', code);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      expect(lastCall('RespondToAuthChallenge')).toMatchObject({
        ChallengeName: 'SMS_OTP',
        ChallengeResponses: { USERNAME: username, SMS_OTP_CODE: code },
      });
      await expectSignedIn(page, context, username);
      expect(problems).toEqual([]);
    });
  });

  it('offers only the password when no code can go to the email address, and a refused password ends the choice', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const username = 'unverified@example.com';
      const password = 'Chooser-Passw0rd-long';
      h.standIn.seedUser(h.poolId, { username, password, attributes: { email: username } });
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      // Cognito answers a factor this user cannot use with the choice of those they can.
      expect(await submit(page, 'sign-in', 'Email me a code')).toEqual({
        state: 'ok',
        text: 'This account cannot get a code by email. Choose another way:',
      });
      expect(await page.locator('#sign-in-factors button').allTextContents()).toEqual(['Use my password']);
      expect(h.standIn.outbox.list({ username })).toEqual([]);

      // Choosing the password shows its field, focused; Continue sends it.
      await page.click('#sign-in-factors button');
      expect(await page.locator('#sign-in-step input[name=password]:focus').count()).toBe(1);
      expect(await page.isVisible('#sign-in-step button[type=submit]')).toBe(true);
      await page.fill('#sign-in-step input[name=password]', 'not-the-password');
      expect(await submit(page, 'sign-in-step')).toEqual({
        state: 'error',
        text: 'The username or password is not right. NOT_AUTHORIZED',
      });
      // The choice's session is spent: the step goes, and the user signs in again.
      expect(await page.isHidden('#sign-in-step')).toBe(true);

      expect(await submit(page, 'sign-in', 'Other ways to sign in')).toMatchObject({ state: 'ok' });
      await page.getByRole('button', { name: 'Use my password', exact: true }).click();
      await page.fill('#sign-in-step input[name=password]', password);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      expect(lastCall('RespondToAuthChallenge')).toMatchObject({
        ChallengeName: 'SELECT_CHALLENGE',
        ChallengeResponses: { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD: password },
      });
      await expectSignedIn(page, context, username);
      expect(problems).toEqual([]);
    });
  });

  it('refuses a wrong code with CODE_MISMATCH and takes the right one on the same sign-in', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const username = 'typo@example.com';
      seed(username);
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      expect(await submit(page, 'sign-in', 'Email me a code')).toMatchObject({ state: 'ok' });
      const code = await signInCodeOnCard(page, username, `Sign-in code to ${username} by email`);
      expect(code).not.toBe(WRONG_CODE);

      await page.fill('#sign-in-step input[name=code]', WRONG_CODE);
      expect(await submit(page, 'sign-in-step')).toEqual({
        state: 'error',
        text: 'That code is not right. Check the newest sign-in code. CODE_MISMATCH',
      });
      expect(await page.isVisible('#sign-in-step input[name=code]')).toBe(true);
      const wrongTry = lastCall('RespondToAuthChallenge');

      await page.fill('#sign-in-step input[name=code]', code);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      // One sign-in: the right code went with the session the wrong one did.
      expect(lastCall('RespondToAuthChallenge')?.Session).toBe(wrongTry?.Session);
      expect(h.standIn.outbox.list({ username, purpose: 'sign-in' })).toHaveLength(1);
      await expectSignedIn(page, context, username);
      expect(problems).toEqual([]);
    });
  });

  it('says an expired code’s sign-in is over and to ask for a new code, and the new code signs in', async (ctx) => {
    await withPage(ctx, async (page, context) => {
      const problems = problemsOf(page);
      const username = 'too.late@example.com';
      seed(username);
      await openDemo(page);
      await page.fill('#sign-in input[name=username]', username);
      expect(await submit(page, 'sign-in', 'Email me a code')).toMatchObject({ state: 'ok' });
      const stale = await signInCodeOnCard(page, username, `Sign-in code to ${username} by email`);

      clock.advance(AUTH_SESSION_VALIDITY_MS + 1_000);
      await page.fill('#sign-in-step input[name=code]', stale);
      expect(await submit(page, 'sign-in-step')).toEqual({
        state: 'error',
        text: 'This sign-in code has expired or can no longer be used. Please ask for a new code above. SESSION_EXPIRED',
      });
      expect(await page.isHidden('#sign-in-step')).toBe(true);
      expect(await page.getAttribute('#session', 'data-state')).toBe('signed-out');

      expect(await submit(page, 'sign-in', 'Email me a code')).toEqual({
        state: 'ok',
        text: 'Code sent. One more step:',
      });
      // The old error goes with the old step.
      expect(await page.textContent('#sign-in-step-status')).toBe('');
      const fresh = await signInCodeOnCard(page, username, `Sign-in code to ${username} by email`);
      expect(fresh).not.toBe(stale);
      await page.fill('#sign-in-step input[name=code]', fresh);
      expect(await submit(page, 'sign-in-step')).toEqual({ state: 'ok', text: `Signed in as ${username}.` });
      await expectSignedIn(page, context, username);
      expect(problems).toEqual([]);
    });
  });
});

const CHALLENGE_KEY = 'browser-test-challenge-key-0123456789';

/** What the tests use of the page's globals (this repository compiles without the DOM's types). */
interface WidgetElement {
  addEventListener(
    type: 'statechange',
    listener: (event: { detail: { state: string; payload: string | null } }) => void,
  ): void;
  verify(): Promise<{ payload: string } | null>;
  reset(): void;
  getState(): string;
}
interface Solve {
  start: number;
  end?: number;
  solver?: number;
}
interface DemoWindow {
  document: {
    querySelectorAll(selector: string): ArrayLike<WidgetElement>;
    querySelector(selector: string): WidgetElement | null;
  };
  navigator: { hardwareConcurrency: number };
  solves: Solve[];
}

/**
 * Records when each ALTCHA widget of the page starts verifying and when it is verified (performance.now()
 * in the page), and the solver's own time from the payload; read back with solveTimes().
 */
async function recordSolveTimes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as DemoWindow;
    w.solves = [];
    for (const widget of Array.from(w.document.querySelectorAll('altcha-widget'))) {
      widget.addEventListener('statechange', ({ detail: { state, payload } }) => {
        if (state === 'verifying') w.solves.push({ start: performance.now() });
        const last = w.solves.at(-1);
        if (state === 'verified' && last && last.end === undefined) {
          last.end = performance.now();
          last.solver = payload ? JSON.parse(atob(payload)).solution.time : undefined;
        }
      });
    }
  });
}

async function solveTimes(page: Page): Promise<Array<{ ms: number; solverMs: number }>> {
  const solves = await page.evaluate(() => (globalThis as unknown as DemoWindow).solves);
  return solves.map((s) => ({ ms: (s.end ?? Number.NaN) - s.start, solverMs: s.solver ?? Number.NaN }));
}

function summary(values: number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const mean = Math.round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length);
  return `mean ${mean} ms, median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms over ${sorted.length}`;
}

describe('the demo page with the proof-of-work challenge', () => {
  let always: Harness | undefined;
  let adaptive: Harness | undefined;
  beforeAll(async () => {
    if (!browser || !standIn) return;
    // The default CHALLENGE_COST: what a real browser pays is what this measures.
    always = await startHarness({
      standIn,
      env: { CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY: CHALLENGE_KEY },
      development: developmentAdditions({ outbox: standIn.outbox }),
    });
    adaptive = await startHarness({
      standIn,
      env: { CHALLENGE_MODE: 'adaptive', CHALLENGE_HMAC_KEY: CHALLENGE_KEY, LIMIT_SIGN_UP_IP_PER_HOUR: '4' },
      development: developmentAdditions({ outbox: standIn.outbox }),
    });
  });
  afterAll(async () => {
    await always?.close();
    await adaptive?.close();
  });

  it('with CHALLENGE_MODE=always solves the widget’s challenge in the browser and completes signUp with it, and prints the solve time', async (ctx) => {
    await withPage(ctx, async (page) => {
      const h = always as Harness;
      const problems = problemsOf(page);
      const challengeRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/challenge') challengeRequests.push(request.url());
      });
      await page.goto(h.url.replace(/\/graphql$/, '/demo'));
      // The forms whose calls may send a code (sign-in's steps too, and confirming, which signs in) get the
      // widget, from the gateway's own files; the others do not.
      await page.waitForSelector('#sign-up altcha-widget');
      const challenged = ['sign-up', 'resend', 'confirm', 'sign-in', 'sign-in-step', 'forgot-password'];
      expect(await page.locator('altcha-widget').count()).toBe(challenged.length);
      for (const form of challenged)
        expect(await page.locator(`#${form} altcha-widget:not([hidden])`).count(), form).toBe(1);
      await recordSolveTimes(page);

      const username = 'robot.check@example.com';
      const callsBefore = h.standIn.calls.length;
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toEqual({
        state: 'ok',
        text: 'Account created. We sent a code to r***@e*** by email. Enter it in step 3.',
      });
      const signUpCalls = h.standIn.calls.slice(callsBefore);
      expect(signUpCalls.map((call) => call.action)).toEqual(['SignUp']);
      expect(signUpCalls[0]?.body).not.toHaveProperty('challengeResponse');
      // The widget fetched its challenge from this gateway, and nothing came from anywhere else.
      expect(challengeRequests).toEqual([h.url.replace(/\/graphql$/, '/challenge')]);
      const [first] = await solveTimes(page);
      expect(first?.ms).toBeGreaterThan(0);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'demo-with-challenge.png'), fullPage: true });

      // A resend needs a new solution (one challenge, one call): here the user ticks the box first, and the
      // page sends what the widget solved then, without solving again.
      await page.click('#resend altcha-widget label');
      await page.waitForFunction(() => {
        const widget = (globalThis as unknown as DemoWindow).document.querySelector('#resend altcha-widget');
        return widget?.getState() === 'verified';
      });
      expect(await submit(page, 'resend')).toEqual({
        state: 'ok',
        text: 'We sent a new code to r***@e*** by email. Earlier codes no longer work.',
      });
      expect(challengeRequests).toHaveLength(2);

      // The solve time at the default cost, measured over more solves in this browser.
      const measured = await page.evaluate(async () => {
        const w = globalThis as unknown as DemoWindow;
        const widget = w.document.querySelector('#sign-up altcha-widget');
        if (!widget) return { solved: 0, workers: 0 };
        let solved = 0;
        for (let i = 0; i < 20; i++) {
          if ((await widget.verify())?.payload) solved++;
          widget.reset();
        }
        return { solved, workers: w.navigator.hardwareConcurrency };
      });
      expect(measured.solved).toBe(20);
      const times = await solveTimes(page);
      expect(times).toHaveLength(22);
      const wall = times.map((t) => t.ms);
      console.log(
        `*** proof-of-work solve time in headless Chromium (CHALLENGE_COST ${h.config.challenge.mode === 'off' ? '-' : h.config.challenge.cost}, ` +
          `${measured.workers} workers): widget start to verified ${summary(wall)}; solver alone ${summary(times.map((t) => t.solverMs))} ***`,
      );
      // Well under a second for a real browser: half of the solves, on this machine, under 1 s.
      expect(wall.sort((x, y) => x - y)[10]).toBeLessThan(1_000);

      // Confirming signs in with the confirmation session, which needs a solution of its own.
      await page.fill('#confirm input[name=code]', h.standIn.outbox.latestCode(username) ?? '');
      expect(await submit(page, 'confirm')).toEqual({
        state: 'ok',
        text: `Confirmed. ${username} is signed in, without a second code.`,
      });
      expect(challengeRequests).toHaveLength(23);
      expect(await page.getAttribute('#session', 'data-state')).toBe('signed-in');
      expect(problems).toEqual([]);
    });
  });

  it('with CHALLENGE_MODE=adaptive shows the widget only when the gateway asks, then solves it and retries', async (ctx) => {
    await withPage(ctx, async (page) => {
      const h = adaptive as Harness;
      const problems = problemsOf(page);
      await page.goto(h.url.replace(/\/graphql$/, '/demo'));
      await page.waitForSelector('#sign-up altcha-widget', { state: 'attached' });
      expect(await page.locator('altcha-widget:not([hidden])').count()).toBe(0);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      // 4 sign-ups per IP an hour: the first 3 ask for nothing.
      for (let i = 1; i <= 3; i++) {
        await page.fill('#sign-up input[name=username]', `adaptive.${i}@example.com`);
        await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
        expect(await submit(page, 'sign-up'), `sign-up ${i}`).toMatchObject({ state: 'ok' });
        expect(await page.locator('#sign-up altcha-widget:not([hidden])').count()).toBe(0);
      }
      // The 4th is answered CHALLENGE_REQUIRED: the page shows the widget, solves it and sends it again.
      const callsBefore = h.standIn.calls.length;
      await page.fill('#sign-up input[name=username]', 'adaptive.4@example.com');
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toEqual({
        state: 'ok',
        text: 'Account created. We sent a code to a***@e*** by email. Enter it in step 3.',
      });
      expect(await page.locator('#sign-up altcha-widget:not([hidden])').count()).toBe(1);
      expect(h.standIn.calls.slice(callsBefore).map((call) => call.action)).toEqual(['SignUp']);
      expect(problems).toEqual([]);
    });
  });

  it('shows no widget and loads none of its files while the challenge is off', async (ctx) => {
    await withPage(ctx, async (page) => {
      const loaded: string[] = [];
      page.on('request', (request) => loaded.push(new URL(request.url()).pathname));
      await page.goto(demoUrl());
      await page.waitForLoadState('networkidle');
      expect(await page.locator('altcha-widget').count()).toBe(0);
      expect(loaded.filter((path) => path.includes('altcha') || path === '/challenge')).toEqual([]);
    });
  });
});

describe('the local explorer (GraphiQL at /graphql)', () => {
  it('loads every script, style and font from the gateway, under its CSP, and runs a query', async (ctx) => {
    await withPage(ctx, async (page) => {
      const problems = problemsOf(page);
      const loaded: string[] = [];
      page.on('request', (request) => loaded.push(request.url()));
      const response = await page.goto(harness.url);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      expect(await page.title()).toBe('GraphQL explorer (local)');
      await page.waitForSelector('.graphiql-execute-button');
      // Not a byte from another origin (Apollo's landing page would load Sandbox from its CDN).
      const origin = new URL(harness.url).origin;
      expect(loaded.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
      expect(loaded.map((url) => new URL(url).pathname)).toEqual(
        expect.arrayContaining([
          '/explorer/react.js',
          '/explorer/react-dom.js',
          '/explorer/graphiql.js',
          '/explorer/graphiql.css',
          '/explorer/explorer.js',
        ]),
      );
      const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      expect(policy).toBe(EXPLORER_CONTENT_SECURITY_POLICY);

      // The first visit's query asks for the service's name; the answer comes from this gateway.
      const bodies = graphqlBodiesOf(page);
      await page.click('.graphiql-execute-button');
      await expect
        .poll(() => page.locator('.graphiql-response').textContent(), { timeout: 10_000 })
        .toContain('"name": "cognito-public-gateway"');
      expect(bodies.map((body) => body.operationName)).toContain('ServiceInfo');

      // The settings dialog (a <style> element locks scrolling) opens without a CSP complaint.
      await page.click('[aria-label="Open settings dialog"]');
      await page.waitForSelector('.graphiql-dialog');
      await page.keyboard.press('Escape');

      // One click away: the demo page, and Apollo Sandbox pointed at this gateway.
      expect(await page.getAttribute('a[href="/demo"]', 'href')).toBe('/demo');
      expect(await page.getAttribute('#sandbox-link', 'href')).toBe(
        `${SANDBOX_URL}?endpoint=${encodeURIComponent(harness.url)}`,
      );
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
      expect(problems).toEqual([]);
    });
  });
});

/** fetch from the page's own origin to the gateway, as a frontend would; resolves with what it got. */
function crossOriginResend(page: Page, gatewayUrl: string, username: string) {
  return page.evaluate(
    async ({ url, query, username }) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables: { input: { username } } }),
        });
        return { status: res.status, body: await res.json() };
      } catch (error) {
        return { rejected: String(error) };
      }
    },
    { url: gatewayUrl, query: RESEND_CONFIRMATION_CODE, username },
  );
}

describe('cross-origin calls from another page', () => {
  it('succeed from an origin in CORS_ORIGINS, after the browser’s preflight', async (ctx) => {
    needBrowser(ctx);
    await harness.signUp('cross.origin@example.com', { email: 'cross.origin@example.com' });
    await withPage(ctx, async (page) => {
      await page.goto(`${allowedApp?.origin}/`);
      gatewayRequests.length = 0;
      const result = await crossOriginResend(page, harness.url, 'cross.origin@example.com');
      expect(result).toEqual({
        status: 200,
        body: {
          data: {
            resendConfirmationCode: {
              codeDeliveryDetails: {
                destination: 'c***@e***',
                deliveryMedium: 'EMAIL',
                attributeName: 'email',
              },
            },
          },
        },
      });
      // application/json is not a "simple" content type: the browser asked first (CSRF prevention relies on it).
      expect(gatewayRequests).toEqual([
        { method: 'OPTIONS', origin: allowedApp?.origin },
        { method: 'POST', origin: allowedApp?.origin },
      ]);
    });
  });

  it('are refused by the browser from any other origin, and Cognito is never called', async (ctx) => {
    needBrowser(ctx);
    await withPage(ctx, async (page) => {
      await page.goto(`${refusedApp?.origin}/`);
      gatewayRequests.length = 0;
      const callsBefore = harness.standIn.calls.length;
      const result = await crossOriginResend(page, harness.url, 'cross.origin@example.com');
      expect(result).toEqual({ rejected: 'TypeError: Failed to fetch' });
      // Only the preflight arrived; it got no CORS approval, so the POST was never sent.
      expect(gatewayRequests).toEqual([{ method: 'OPTIONS', origin: refusedApp?.origin }]);
      expect(harness.standIn.calls.length).toBe(callsBefore);
    });
  });
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
