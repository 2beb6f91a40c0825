// Redis as ElastiCache runs it with in-transit encryption and RBAC: a cluster reached over TLS only
// (rediss://), by an ACL user whose rights are what docs/operations.md tells operators to grant. Two gateways
// share its limits; a wrong password stops start-up with one line that does not print it.
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startUpFailure } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createGateway } from '../../src/node-server/start-server';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';
import { codeOf } from '../support/answers';
import {
  type GatewayHarness,
  HARNESS_ENV,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import { type RedisCluster, skipWithoutRedisCluster, startRedisCluster } from '../support/redis-cluster';
import { announceSkip, freePort } from '../support/test-resources';
import { makeCertificates, openssl, pem, type TestCertificates } from '../support/tls-certificates';
import { resend } from '../support/user-pool-requests';

const PASSWORD = 'gateway-acl-password-7f3c';
/** The rights docs/operations.md gives the gateway's ACL user. */
const GATEWAY_ACL = [
  'gateway',
  'on',
  `>${PASSWORD}`,
  '~{cognito-gateway}:*',
  '+@read',
  '+@write',
  '+@scripting',
  '+@transaction',
  '+@connection',
  '+info',
  '+cluster|info',
  '+cluster|slots',
];

function skip(): boolean {
  if (skipWithoutRedisCluster('redis TLS and ACL')) return true;
  if (!openssl()) {
    announceSkip('redis TLS and ACL', 'openssl is not installed');
    return true;
  }
  return false;
}

const SKIP = skip();

describe.skipIf(SKIP)('limits through a TLS-only Redis Cluster, as an ACL user', () => {
  let certificates: TestCertificates;
  let cluster: RedisCluster;
  const tlsPorts: number[] = [];
  let a: Harness;
  let b: GatewayHarness;
  const urlWith = (password: string) =>
    tlsPorts
      .map((port, i) =>
        i === 0 ? `rediss://gateway:${password}@127.0.0.1:${port}` : `rediss://127.0.0.1:${port}`,
      )
      .join(',');

  beforeAll(async () => {
    certificates = makeCertificates();
    // As NODE_EXTRA_CA_CERTS does for a process: the gateway trusts the CA through Node's default store only.
    setDefaultCACertificates([...getCACertificates('default'), pem(certificates.ca)]);
    cluster = await startRedisCluster({
      replicas: 0,
      args: async () => {
        const port = await freePort();
        tlsPorts.push(port);
        return [
          '--tls-port',
          String(port),
          '--tls-cert-file',
          certificates.cert,
          '--tls-key-file',
          certificates.key,
          '--tls-ca-cert-file',
          certificates.ca,
          '--tls-auth-clients',
          'no',
          '--tls-cluster',
          'yes',
          '--user',
          ...GATEWAY_ACL,
        ];
      },
    });
    const env = {
      REDIS_MODE: 'cluster',
      REDIS_URL: urlWith(PASSWORD),
      LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
      LIMIT_RESEND_USERNAME_PER_HOUR: '5',
    };
    a = await startHarness({ env });
    b = await startGatewayHarness(
      { url: a.standIn.url, poolId: a.poolId, clientId: a.clientId, clientSecret: a.clientSecret },
      { env },
    );
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await cluster?.stop();
    certificates?.remove();
  });

  it('shares one cooldown between two gateways over TLS, with the ACL user, and connects over TLS only', async () => {
    await a.signUp('tls.user');
    const codes = [];
    for (const through of [a, b, a, b])
      codes.push(codeOf(await through.graphql(resend({ username: 'tls.user' }))));
    expect(codes).toEqual(['OK', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(a.standIn.calls.filter((c) => c.action === 'ResendConfirmationCode')).toHaveLength(1);
    // Every connection to the cluster that is the gateway's is a TLS one (the test's own are plain).
    const master = await cluster.masterOf('{cognito-gateway}');
    const clients = String(await cluster.command(master, 'CLIENT', 'LIST')).split('\n');
    const gateway = clients.filter((line) => /\buser=gateway\b/.test(line));
    expect(gateway.length).toBeGreaterThanOrEqual(2);
    const localPorts = gateway.map((line) => Number(/\bladdr=\S+:(\d+)/.exec(line)?.[1]));
    expect(localPorts.every((port) => tlsPorts.includes(port))).toBe(true);
    expect(a.logs.concat(b.logs).join('\n')).not.toContain(PASSWORD);
    expect(a.logs.some((l) => l.includes('redis unreachable'))).toBe(false);
  });

  it('refuses to start with a wrong password, in one line that does not print it', async () => {
    const wrong = 'wrong-password-9d1e';
    const config = loadConfig(
      {
        ...HARNESS_ENV,
        COGNITO_ENDPOINT: a.standIn.url,
        COGNITO_REGION: 'us-east-1',
        COGNITO_USER_POOL_ID: a.poolId,
        COGNITO_CLIENT_ID: a.clientId,
        COGNITO_CLIENT_SECRET: a.clientSecret,
        REDIS_MODE: 'cluster',
        REDIS_URL: urlWith(wrong),
      },
      USER_POOL_CALL_LIMITS,
    );
    if (config.cognito.mode !== 'remote') throw new Error('remote configuration expected');
    const { mode: _mode, nonAwsEndpoint: _n, ...cognito } = config.cognito;
    const logs: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
    const started = performance.now();
    const failure = await createGateway({ config, cognito, logger }).then(
      () => 'started',
      (error: unknown) => startUpFailure(error),
    );
    expect(failure).toMatch(
      /^Failed to start: REDIS_URL: Redis refused the gateway's credentials \(.*WRONGPASS/,
    );
    expect(failure.split('\n')).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(`${failure}\n${logs.join('\n')}`).not.toContain(wrong);
  });
});
