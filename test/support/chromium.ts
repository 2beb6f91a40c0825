// Gives browser tests a headless Chromium driven by playwright-core, which never downloads a browser here: we
// use Debian's `chromium` package at /usr/bin/chromium. When it is missing and we are root with apt-get (the CI
// machine), it is installed once (`apt-get update` only when the package lists are missing or stale). A suite
// that cannot get Chromium skips with one loud line rather than passing without a browser.
import { type Browser, chromium } from 'playwright-core';
import {
  APT_STEP_TIMEOUT_MS,
  type Availability,
  findOrInstall as findOrInstallProgram,
} from './debian-package';
import { announceSkip } from './test-resources';

export type ChromiumAvailability = Availability;

const FIXED_LOCATIONS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'];
/** For the beforeAll that calls ensureChromium(): apt-get update + install on a clean machine. */
export const CHROMIUM_INSTALL_TIMEOUT_MS = 2 * APT_STEP_TIMEOUT_MS + 30_000;

/**
 * What the browser runs with: headless, no sandbox (we are root in a container), no GPU, /tmp instead of the
 * container's small /dev/shm, and no traffic of its own (updates, safe browsing, sync, metrics).
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--password-store=basic',
  '--use-mock-keychain',
];

let availability: Promise<ChromiumAvailability> | undefined;

/** Finds Chromium, installing Debian's package when missing and possible. The answer is cached. */
export function ensureChromium(): Promise<ChromiumAvailability> {
  availability ??= findOrInstall();
  return availability;
}

async function findOrInstall(): Promise<ChromiumAvailability> {
  return findOrInstallProgram({
    executable: 'chromium',
    locations: FIXED_LOCATIONS,
    debianPackage: 'chromium',
  });
}

/**
 * Chromium for a suite, or undefined after printing one loud line naming why the browser tests are skipped,
 * so that a skipped browser suite is never mistaken for a passing one. An installed Chromium that does not
 * start is a failure, not a skip.
 */
export async function launchChromiumOrSkip(): Promise<Browser | undefined> {
  const found = await ensureChromium();
  if (!('path' in found)) {
    announceSkip('browser tests', found.skipped);
    return undefined;
  }
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}
