// SIGHUP to a real gateway process (`node dist/src/main.js`): it re-reads COGNITO_CLIENT_SECRET_FILE and
// signs the next request with the new secret; with no file configured it only says so, and keeps running.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { resend } from '../support/user-pool-requests';
import { MAIN, type Started, startProcess } from './process';

const NEW_SECRET = 'sighup_secret_0123456789abcdefXYZ';

describe('SIGHUP', () => {
  const running: Started[] = [];
  let standIn: LocalCognito | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    for (const p of running.splice(0)) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
    await standIn?.close();
    standIn = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('re-reads the client secret file, and the next request is signed with the new secret', async () => {
    standIn = await startLocalCognito();
    const poolId = standIn.createUserPool().id;
    const { clientId, clientSecret = '' } = standIn.createUserPoolClient(poolId, { generateSecret: true });
    dir = mkdtempSync(join(tmpdir(), 'sighup-'));
    const file = join(dir, 'client-secret');
    writeFileSync(file, `${clientSecret}\n`);
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: poolId,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_CLIENT_SECRET_FILE: file,
      COGNITO_ENDPOINT: standIn.url,
    });
    running.push(gateway);
    const url = (await gateway.waitForLog('gateway listening')).url as string;
    const admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: standIn.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await admin.send(
      new AddUserPoolClientSecretCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientSecret: NEW_SECRET,
      }),
    );
    admin.destroy();

    // Written in place: the watch may see it too, so SIGHUP reports ok or (already done) unchanged.
    writeFileSync(file, NEW_SECRET);
    gateway.child.kill('SIGHUP');
    const line = await gateway.waitForLog('SIGHUP: client secret file re-read');
    expect(['ok', 'unchanged']).toContain(line.result);
    expect(gateway.logs('client secret reloaded')).toHaveLength(1);

    await post(url, resend({ username: 'nobody@example.com' }));
    const sent = standIn.calls.filter((c) => c.action === 'ResendConfirmationCode').at(-1);
    expect((sent?.body as { SecretHash?: string } | undefined)?.SecretHash).toBe(
      computeSecretHash('nobody@example.com', clientId, NEW_SECRET),
    );
    expect(gateway.stdout.join('\n')).not.toContain(NEW_SECRET);
    expect(gateway.child.exitCode).toBeNull();
  });

  it('with no secret file configured, logs that there is nothing to re-read and keeps serving', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOCAL_COGNITO_PORT: '0',
    });
    running.push(gateway);
    const url = (await gateway.waitForLog('gateway listening', 20_000)).url as string;

    gateway.child.kill('SIGHUP');
    await gateway.waitForLog(
      'SIGHUP: no COGNITO_CLIENT_SECRET_FILE configured (or not started yet), nothing to re-read',
    );

    const res = await post(url, resend({ username: 'demo@example.com' }));
    expect(res.status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
  });
});
