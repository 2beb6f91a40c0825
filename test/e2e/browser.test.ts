// Browser tests in headless Chromium (Debian's, driven by playwright-core; never a downloaded browser): the
// demo page runs the whole flow against the local stand-in, and pages from other origins call the gateway
// with fetch, through the browser's own CORS preflight, allowed or refused. Without Chromium the suite says so
// in one loud line and skips.
import { access, copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { DEMO_CONTENT_SECURITY_POLICY, demoRoutes } from '../../src/dev/demo-page';
import { ErrorCode } from '../../src/errors';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { CHROMIUM_INSTALL_TIMEOUT_MS, launchChromiumOrSkip } from '../support/chromium';
import { type Harness, RESEND_CONFIRMATION_CODE, startHarness } from '../support/gateway-harness';

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
    developmentRoutes: demoRoutes(),
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

/** Submits a demo form and waits for its status line to settle; resolves with what the user sees. */
async function submit(
  page: Page,
  form: 'sign-up' | 'resend' | 'confirm' | 'forgot-password' | 'reset-password',
) {
  const status = page.locator(`#${form}-status`);
  await status.evaluate((node) => node.removeAttribute('data-state'));
  await page.click(`#${form} button[type=submit]`);
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
      const response = await page.goto(demoUrl());
      expect(response?.headers()).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      });
      expect(await page.title()).toBe('Sign-up confirmation demo');

      const username = 'jane@example.com';
      await page.fill('#sign-up input[name=username]', username);
      await page.fill('#sign-up input[name=password]', 'Passw0rd-long-enough');
      expect(await submit(page, 'sign-up')).toEqual({
        state: 'ok',
        text: 'Account created. We sent a code to j***@e*** by email. Enter it in step 3.',
      });
      // The sign-up sent the email attribute, since the username looks like an email.
      const signUpCall = harness.standIn.calls.find((call) => call.operation === 'SignUp');
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
        text: 'Confirmed. jane@example.com can now sign in.',
      });
      expect(harness.standIn.calls.map((call) => call.operation)).toEqual([
        'SignUp',
        'ResendConfirmationCode',
        'ConfirmSignUp',
        'ConfirmSignUp',
      ]);

      // A resend after confirmation explains itself too.
      expect(await submit(page, 'resend')).toEqual({
        state: 'error',
        text: 'This account is already confirmed. You can sign in. ALREADY_CONFIRMED',
      });
      // The page loaded its script, style and icon from its own origin with nothing refused by the CSP.
      expect(problems).toEqual([]);
    });
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
        text: 'Confirmed. forgetful@example.com can now sign in.',
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
      expect(resetCalls.map((call) => call.operation)).toEqual([
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
