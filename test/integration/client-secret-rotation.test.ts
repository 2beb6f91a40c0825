// Rotating the app client secret under load, over real HTTP: requests keep flowing through the gateway while
// a second secret is added in the stand-in (real SDK), COGNITO_CLIENT_SECRET_FILE is replaced by rename (as
// Kubernetes replaces a secret), the gateway picks it up, and the old secret is deleted. Not one request fails.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { type GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

const WORKERS = 4;
const NEW_SECRET = 'rotated_secret_0123456789abcdefXYZ';

interface Load {
  ok: number;
  failed: Array<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

describe('client secret rotation', () => {
  let dir: string;
  let file: string;
  let standIn: LocalCognito;
  let admin: CognitoIdentityProviderClient;
  let h: GatewayHarness;
  let poolId: string;
  let clientId: string;
  let oldSecret: string;
  let load: Load | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secret-rotation-'));
    file = join(dir, 'client-secret');
    standIn = await startLocalCognito();
    poolId = standIn.createUserPool().id;
    const client = standIn.createUserPoolClient(poolId, { generateSecret: true });
    clientId = client.clientId;
    oldSecret = client.clientSecret ?? '';
    writeFileSync(file, `${oldSecret}\n`);
    // The stand-in does not check signatures, but the SDK signs admin calls and needs some credentials.
    admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: standIn.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (let i = 0; i < WORKERS; i++) {
      const username = `worker${i}@example.com`;
      await admin.send(
        new SignUpCommand({
          ClientId: clientId,
          SecretHash: computeSecretHash(username, clientId, oldSecret),
          Username: username,
          Password: 'correct-horse-battery',
          UserAttributes: [{ Name: 'email', Value: username }],
        }),
      );
    }
    h = await startGatewayHarness(
      { url: standIn.url, poolId, clientId, clientSecret: '' },
      { env: { COGNITO_CLIENT_SECRET_FILE: file } },
    );
  });

  afterEach(async () => {
    await load?.stop();
    load = undefined;
    await h.close();
    admin.destroy();
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** WORKERS loops, each resending its own user's code as fast as the gateway answers. */
  function startLoad(): Load {
    let running = true;
    const started: Load = { ok: 0, failed: [], stop: async () => {} };
    const loops = Array.from({ length: WORKERS }, async (_, i) => {
      while (running) {
        try {
          const res = await h.graphql(resend({ username: `worker${i}@example.com` }));
          if (res.status === 200 && res.body.data?.resendConfirmationCode && !res.body.errors)
            started.ok += 1;
          else started.failed.push({ status: res.status, body: res.body });
        } catch (error) {
          started.failed.push({ status: 0, body: String(error) });
        }
      }
    });
    started.stop = async () => {
      running = false;
      await Promise.all(loops);
    };
    load = started;
    return started;
  }

  const replaceFile = (text: string) => {
    // As Kubernetes and editors do: write a new file beside it, then rename it over the old one.
    writeFileSync(join(dir, '.client-secret.tmp'), text);
    renameSync(join(dir, '.client-secret.tmp'), file);
  };

  async function reloads(result: string): Promise<number> {
    const res = await fetch(h.url.replace(/\/graphql$/, '/metrics'));
    const line = (await res.text())
      .split('\n')
      .find((l) => l.startsWith(`gateway_client_secret_reloads_total{result="${result}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const secretIds = async () =>
    (
      await admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))
    ).ClientSecrets?.map((s) => s.ClientSecretId ?? '') ?? [];

  it('follows add, file switch and delete of the old secret with 0 failed requests', async () => {
    const [oldId] = await secretIds();
    const running = startLoad();
    const pause = () => new Promise((r) => setTimeout(r, 300));
    await pause();

    await admin.send(
      new AddUserPoolClientSecretCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientSecret: NEW_SECRET,
      }),
    );
    await pause();
    const switched = performance.now();
    replaceFile(`${NEW_SECRET}\n`);
    await until(async () => (await reloads('ok')) === 1);
    const reloadMs = performance.now() - switched;
    await pause();
    await admin.send(
      new DeleteUserPoolClientSecretCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientSecretId: oldId,
      }),
    );
    const beforeDelete = running.ok;
    await pause();
    await running.stop();

    console.log(
      `*** secret rotation under load: ${running.ok + running.failed.length} requests, ${running.failed.length} failed, ` +
        `reload ${reloadMs.toFixed(0)} ms after the rename, ${running.ok - beforeDelete} after the delete ***`,
    );
    expect(running.failed).toEqual([]);
    expect(running.ok - beforeDelete).toBeGreaterThan(0);
    expect(await secretIds()).toHaveLength(1);
    // Only the new secret is left in the stand-in: requests now pass only because they use it.
    const last = standIn.calls.filter((c) => c.action === 'ResendConfirmationCode').at(-1);
    const { Username, SecretHash } = (last?.body ?? {}) as { Username: string; SecretHash: string };
    expect(SecretHash).toBe(computeSecretHash(Username, clientId, NEW_SECRET));
    expect(h.logs.join('\n')).not.toContain(NEW_SECRET);
    expect(h.logs.join('\n')).not.toContain(oldSecret);
  });

  it('keeps serving with the secret in use when the file is switched to an invalid value', async () => {
    const running = startLoad();
    await new Promise((r) => setTimeout(r, 200));
    replaceFile('this is not a secret\n');
    await until(async () => (await reloads('invalid')) === 1);
    await new Promise((r) => setTimeout(r, 200));
    await running.stop();

    expect(running.failed).toEqual([]);
    expect(running.ok).toBeGreaterThan(0);
    expect(h.logs.map((l) => JSON.parse(l)).find((l) => l.level === 50)).toMatchObject({
      msg: 'client secret file refused: the secret in use is kept',
    });
  });

  it('logs a SecretHash that Cognito refuses at error level, with the rotation hint, and answers NOT_AUTHORIZED', async () => {
    // The file moves on to a secret the client never got: Cognito refuses every hash made with it.
    replaceFile('never_added_secret_0123456789abcdef');
    await until(async () => (await reloads('ok')) === 1);

    const res = await h.graphql(resend({ username: 'worker0@example.com' }));

    expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_AUTHORIZED');
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'cognito call failed');
    expect(line).toMatchObject({
      level: 50,
      code: 'NOT_AUTHORIZED',
      hint: expect.stringContaining('rotated or deleted'),
    });
    expect(h.logs.join('\n')).not.toContain('never_added_secret_0123456789abcdef');
  });
});
