// Whole-process tests: the real `npm start`, its local stand-in, its start-up failures and its shutdown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  resend,
  signUpWith,
} from '../support/user-pool-requests';
import {
  canListen,
  isRunning,
  killProcessGroup,
  MAIN,
  processGroupMembers,
  type Started,
  startProcess,
} from './process';

const RESEND_DEMO = resend({ username: 'demo@example.com' });

function post(url: string, body: unknown) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const DEMO_CODE_DELIVERY = {
  data: {
    resendConfirmationCode: {
      codeDeliveryDetails: { destination: 'd***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    },
  },
};

const running: Started[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

// A supervised npm's whole process group is killed after each test: an orphaned gateway would keep it.
const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) killProcessGroup(pgid);
});

/** `npm start` in local mode, started as a supervisor starts it: in a process group of its own. */
function supervisedNpmStart(env: Record<string, string> = {}): Started {
  const npm = startProcess(
    'npm',
    ['start', '--silent'],
    { PORT: '0', HOST: '127.0.0.1', LOCAL_COGNITO_PORT: '0', ...env },
    { ownProcessGroup: true },
  );
  groups.push(npm.child.pid as number);
  return npm;
}

/** The stand-in's URL, from the local-mode banner. */
function standInUrl(started: Started): string {
  const url = /stand-in endpoint : (\S+)/.exec(started.stdout.join('\n'))?.[1];
  if (!url) throw new Error(`no stand-in endpoint in the banner: ${started.stdout.join('\n')}`);
  return url;
}

/** How the process ended, or 'still running' when it has not within the time. */
function exitWithin(started: Started, ms: number) {
  return Promise.race([started.exited, sleep(ms, 'still running' as const)]);
}

describe('npm start with no Cognito configuration', () => {
  it('serves resend, confirm and the password reset against the embedded stand-in, then stops cleanly on SIGTERM', async () => {
    const started = performance.now();
    const gateway = startProcess('npm', ['start', '--silent'], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
    });
    running.push(gateway);
    const listening = await gateway.waitForLog('gateway listening', 15_000);
    const coldStartMs = performance.now() - started;
    expect(listening).toMatchObject({ local: true, region: 'us-east-1' });
    expect(gateway.stdout.join('\n')).toContain('Open http://127.0.0.1:');
    console.info(`npm start: listening after ${Math.round(coldStartMs)} ms`);

    const res = await post(listening.url as string, RESEND_DEMO);
    expect(await res.json()).toEqual({
      data: {
        resendConfirmationCode: {
          codeDeliveryDetails: { destination: 'd***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    // The code is printed to the console and readable from the stand-in's outbox.
    const outboxUrl = /\(codes: (\S+)\)/.exec(gateway.stdout.join('\n'))?.[1];
    expect(outboxUrl).toBeDefined();
    const outbox = (await (await fetch(`${outboxUrl}?username=demo@example.com`)).json()) as Array<{
      code: string;
    }>;
    expect(outbox.length).toBeGreaterThanOrEqual(2);
    expect(gateway.stdout.join('\n')).toContain(outbox.at(-1)?.code);

    // ...and confirms the demo user through the gateway, as the printed instructions say.
    const confirmed = await post(
      listening.url as string,
      confirmSignUp({ username: 'demo@example.com', confirmationCode: outbox.at(-1)?.code }),
    );
    expect(await confirmed.json()).toEqual({
      data: { confirmSignUp: { confirmed: true, session: expect.any(String) } },
    });

    // The banner also prints the password-reset flow, in Sandbox form and as curl one-liners...
    const banner = gateway.stdout.join('\n');
    expect(banner).toContain('then reset the password of the confirmed user');
    expect(banner).toContain('mutation { forgotPassword(input: { username: "jane@example.com" }) {');
    expect(banner).toContain(
      'mutation { confirmForgotPassword(input: { username: "jane@example.com", confirmationCode: "<reset code>",',
    );
    expect(banner).toContain('{ passwordChanged } }');
    expect(banner).toMatch(/curl -s \S+ .*"query":"mutation ForgotPassword\(/);
    expect(banner).toMatch(/curl -s \S+ .*"query":"mutation ConfirmForgotPassword\(.*"<reset code>"/);
    expect(banner).toMatch(/ForgotPassword: usernameCooldownSeconds \S+, usernamePerHour \S+, ipPerHour /);

    // ...which works against the process: the now confirmed demo user resets its password.
    const asked = await post(listening.url as string, forgotPassword({ username: 'demo@example.com' }));
    expect(await asked.json()).toEqual({
      data: {
        forgotPassword: {
          codeDeliveryDetails: { destination: 'd***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    const resets = (
      (await (await fetch(`${outboxUrl}?username=demo@example.com`)).json()) as Array<{
        code: string;
        reason: string;
      }>
    ).filter((m) => m.reason === 'ForgotPassword');
    expect(resets).toHaveLength(1);
    const resetCode = resets[0]?.code as string;
    expect(gateway.stdout.join('\n')).toContain(resetCode);
    const reset = (confirmationCode: string) =>
      post(
        listening.url as string,
        confirmForgotPassword({
          username: 'demo@example.com',
          confirmationCode,
          password: 'An0ther-Passw0rd-long',
        }),
      ).then(
        (res) => res.json() as Promise<{ data: unknown; errors?: Array<{ extensions: { code: string } }> }>,
      );
    const wrongCode = resetCode === '000000' ? '111111' : '000000';
    expect((await reset(wrongCode)).errors?.map((e) => e.extensions.code)).toEqual(['CODE_MISMATCH']);
    expect(await reset(resetCode)).toEqual({ data: { confirmForgotPassword: { passwordChanged: true } } });
    // The code is used up.
    expect((await reset(resetCode)).errors?.map((e) => e.extensions.code)).toEqual(['CODE_MISMATCH']);

    // `npm start` execs node, so the gateway is npm's child: signalled itself, it stops and npm ends with
    // its exit code. Signals to npm's own pid are tested below.
    process.kill(listening.pid as number, 'SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});

describe('npm start under a process supervisor that signals npm alone', () => {
  const SHUTDOWN_TIMEOUT_MS = 5_000;

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to npm finishes the in-flight request, ends npm with exit code 0 and leaves nothing running',
    async (signal) => {
      const npm = supervisedNpmStart({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
      const npmPid = npm.child.pid as number;
      const listening = await npm.waitForLog('gateway listening', 15_000);
      const url = listening.url as string;
      const gatewayPid = listening.pid as number;
      const standIn = standInUrl(npm);
      const faults = await fetch(`${standIn}/_local/faults`, {
        method: 'PUT',
        body: JSON.stringify({ latencyMs: 1_500, actions: ['ResendConfirmationCode'] }),
      });
      expect(faults.status).toBe(200);

      const inFlight = post(url, RESEND_DEMO);
      // The stand-in counts a call when it arrives, before the injected latency.
      for (let i = 0; i < 100; i++) {
        const { stats } = (await (await fetch(`${standIn}/_local/faults`)).json()) as {
          stats: { total: number };
        };
        if (stats.total > 0) break;
        await sleep(20);
      }
      const signalledAt = performance.now();
      process.kill(npmPid, signal);

      expect(await (await inFlight).json()).toEqual(DEMO_CODE_DELIVERY);
      expect(await exitWithin(npm, SHUTDOWN_TIMEOUT_MS + 2_000)).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
      expect(npm.stdout.join('\n')).toContain(`"signal":"${signal}"`);
      expect(isRunning(gatewayPid)).toBe(false);
      expect(processGroupMembers(npmPid)).toEqual([]);
      expect(await canListen(Number(new URL(url).port))).toBe(true);
      expect(await canListen(Number(new URL(standIn).port))).toBe(true);
    },
  );
});

describe('npm start limits in local mode', () => {
  const signUp = (url: string, username: string) =>
    post(url, signUpWith(username, { email: username })).then(
      (res) => res.json() as Promise<{ data: unknown; errors?: Array<{ extensions: { code: string } }> }>,
    );

  it('texts a phone-only signUp its code: printed on the console and in the same outbox as emailed codes', async () => {
    const gateway = supervisedNpmStart();
    const listening = await gateway.waitForLog('gateway listening', 15_000);

    const res = await post(
      listening.url as string,
      signUpWith('phone-only', { phone_number: '+447400123456' }),
    );
    expect(await res.json()).toMatchObject({
      data: { signUp: { codeDeliveryDetails: { deliveryMedium: 'SMS', attributeName: 'phone_number' } } },
    });
    const outbox = (await (
      await fetch(`${standInUrl(gateway)}/_local/outbox?username=phone-only`)
    ).json()) as Array<{
      code: string;
    }>;
    expect(outbox).toMatchObject([{ medium: 'SMS', destination: '+447400123456', reason: 'SignUp' }]);
    expect(gateway.stdout.join('\n')).toContain(`code ${outbox[0]?.code}`);
  });

  it('prints the limits in force, and DELETE /_local/limits on the stand-in lets a RATE_LIMITED signUp through', async () => {
    const npm = supervisedNpmStart({ LIMIT_SIGN_UP_IP_PER_HOUR: '1' });
    const url = (await npm.waitForLog('gateway listening', 15_000)).url as string;
    const banner = npm.stdout.join('\n');
    expect(banner).toMatch(/limits\s+: development defaults/);
    expect(banner).toContain('SignUp: ipPerHour 1/h');
    expect(banner).toContain('ResendConfirmationCode: usernameCooldownSeconds off, usernamePerHour 1000/h');
    const standIn = standInUrl(npm);
    expect(banner).toContain(`curl -X DELETE ${standIn}/_local/limits`);

    expect((await signUp(url, 'first@example.com')).errors).toBeUndefined();
    expect((await signUp(url, 'second@example.com')).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');

    const reset = await fetch(`${standIn}/_local/limits`, { method: 'DELETE' });
    expect(reset.status).toBe(204);
    expect((await signUp(url, 'second@example.com')).errors).toBeUndefined();
    expect((await signUp(url, 'third@example.com')).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  });
});

describe('graceful shutdown', () => {
  let slowCognito: Server | undefined;
  afterEach(async () => {
    slowCognito?.closeAllConnections();
    await new Promise((resolve) => slowCognito?.close(resolve) ?? resolve(undefined));
  });

  it('finishes an in-flight request after SIGTERM, refuses new connections, and exits 0', async () => {
    let received!: () => void;
    const upstreamReceived = new Promise<void>((resolve) => {
      received = resolve;
    });
    slowCognito = createServer((_req, res) => {
      received();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            CodeDeliveryDetails: {
              Destination: 's***@e***',
              DeliveryMedium: 'EMAIL',
              AttributeName: 'email',
            },
          }),
        );
      }, 1_500);
    });
    await new Promise<void>((resolve) => slowCognito?.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(slowCognito.address() as AddressInfo).port}`;

    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_REGION: 'eu-west-1',
      COGNITO_CLIENT_ID: 'slowclient',
      COGNITO_CLIENT_SECRET: 'slowsecret',
      COGNITO_ENDPOINT: endpoint,
      COGNITO_REQUEST_TIMEOUT_MS: '5000',
    });
    running.push(gateway);
    const url = (await gateway.waitForLog('gateway listening')).url as string;

    const inFlight = post(url, { ...RESEND_DEMO, variables: { input: { username: 'slow.user' } } });
    await upstreamReceived;
    const signalledAt = performance.now();
    gateway.child.kill('SIGTERM');
    await gateway.waitForLog('shutting down: no new connections, finishing in-flight requests');

    await expect(post(url, RESEND_DEMO)).rejects.toThrow();
    const res = await inFlight;
    expect(await res.json()).toEqual({
      data: {
        resendConfirmationCode: {
          codeDeliveryDetails: { destination: 's***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(10_000);
  });
});

describe('SIGINT', () => {
  it('stops the gateway like SIGTERM and exits 0', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
    });
    running.push(gateway);
    await gateway.waitForLog('gateway listening');
    gateway.child.kill('SIGINT');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(gateway.stdout.join('\n')).toContain('"signal":"SIGINT"');
  });
});

describe('a private ops port', () => {
  it('logs its listening line, serves /metrics there and 404 on the public port, and frees both ports on SIGTERM', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
      OPS_PORT: '0',
    });
    running.push(gateway);
    const opsUrl = (await gateway.waitForLog('ops listening', 15_000)).url as string;
    const url = (await gateway.waitForLog('gateway listening', 15_000)).url as string;
    expect(new URL(opsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(opsUrl).port).not.toBe(new URL(url).port);

    const metrics = await fetch(new URL('/metrics', opsUrl));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toContain('gateway_http_requests_in_flight');
    expect((await fetch(new URL('/metrics', url))).status).toBe(404);
    const served = await post(url, { query: '{ serviceInfo { name } }' });
    expect(await served.json()).toEqual({ data: { serviceInfo: { name: 'cognito-public-gateway' } } });

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await canListen(Number(new URL(url).port))).toBe(true);
    expect(await canListen(Number(new URL(opsUrl).port))).toBe(true);
  });
});

describe('start-up failures', () => {
  it('exits 1 with one readable message naming each bad variable', async () => {
    const gateway = startProcess(process.execPath, [MAIN], { PORT: 'eighty', LOG_LEVEL: 'loud' });
    running.push(gateway);
    expect((await gateway.exited).code).toBe(1);
    const stderr = gateway.stderr.filter(
      (l) =>
        !/NodeVersionSupportWarning|node >=22|a\.co\/|trace-warnings|upgrade to node|versions published|continue receiving|security updates/.test(
          l,
        ),
    );
    expect(stderr.join('\n')).toBe(
      [
        'Invalid configuration:',
        '  - PORT: must be a whole number from 0 to 65535',
        '  - LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      ].join('\n'),
    );
  });

  it('refuses to start in production without Cognito configuration', async () => {
    const gateway = startProcess(process.execPath, [MAIN], { NODE_ENV: 'production' });
    running.push(gateway);
    expect((await gateway.exited).code).toBe(1);
    expect(gateway.stderr.join('\n')).toContain('COGNITO_CLIENT_ID: is required in production');
    expect(gateway.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with a readable message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
    });
    running.push(gateway);
    const { code } = await gateway.exited;
    blocker.close();
    expect(code).toBe(1);
    expect(gateway.stderr.join('\n')).toMatch(/^Failed to start: .*EADDRINUSE/m);
    expect(gateway.stderr.join('\n')).not.toMatch(/\n\s+at /);
  });

  it("exits 1 with one line naming LOCAL_COGNITO_PORT when the local stand-in's port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: String(port),
    });
    running.push(gateway);
    const { code } = await gateway.exited;
    blocker.close();
    expect(code).toBe(1);
    expect(gateway.stderr.filter((line) => line.includes('LOCAL_COGNITO_PORT'))).toEqual([
      `Failed to start: the local Cognito stand-in cannot listen on port ${port}: it is in use (another npm start?). ` +
        'Set LOCAL_COGNITO_PORT to a free port, or to 0 for any free port (its outbox URL then changes at every start)',
    ]);
    expect(gateway.stderr.join('\n')).not.toMatch(/\n\s+at /);
    expect(gateway.logs('gateway listening')).toEqual([]);
  });

  it('exits 1 with a readable message when OPS_PORT is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
      OPS_PORT: String(port),
    });
    running.push(gateway);
    const { code } = await gateway.exited;
    blocker.close();
    expect(code).toBe(1);
    expect(gateway.stderr.join('\n')).toMatch(/^Failed to start: .*EADDRINUSE.*127\.0\.0\.1/m);
    expect(gateway.logs('gateway listening')).toEqual([]);
  });
});
