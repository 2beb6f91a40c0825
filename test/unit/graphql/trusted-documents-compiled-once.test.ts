// The gateway's core with a trusted-documents manifest: a request naming a manifest document runs the
// document parsed and validated at start-up, so Apollo neither parses nor validates it again; a text that is
// not in the manifest (allowed here) is parsed and validated once, then served from Apollo's store.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import { createGatewayCore, type GatewayCore } from '../../../src/gateway-core';
import type { GatewayContext } from '../../../src/http/context';
import type { PlainRequest, RequestCore } from '../../../src/http/request-core';
import { createLogger } from '../../../src/logger';
import { SERVICE_INFO } from '../../../src/user-pool-calls/documents';
import { USER_POOL_CALL_LIMITS } from '../../../src/user-pool-calls/registry';
import { TEST_SESSION_KEYS } from '../../support/gateway-harness';

const SERVICE_INFO_ID = createHash('sha256').update(SERVICE_INFO).digest('hex');
const OTHER = 'query Other { serviceInfo { challengeMode } }';

const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-compiled-'));
const MANIFEST = join(dir, 'persisted-documents.json');
writeFileSync(MANIFEST, JSON.stringify({ [SERVICE_INFO_ID]: SERVICE_INFO }));

function post(body: unknown): PlainRequest {
  const raw = Buffer.from(JSON.stringify(body));
  return {
    method: 'POST',
    path: '/graphql',
    query: '',
    headers: new HeaderMap([['content-type', 'application/json']]),
    readBody: async () => raw,
    clientIp: '192.0.2.1',
    requestId: 'test',
  };
}

describe('a gateway core with a trusted-documents manifest', () => {
  const parsed: string[] = [];
  const validated: string[] = [];
  const counting: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async parsingDidStart({ source }) {
          parsed.push(source);
        },
        async validationDidStart({ source }) {
          validated.push(source);
        },
      };
    },
  };
  let core: GatewayCore;
  let handle: RequestCore;

  beforeAll(async () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        SESSION_KEYS: TEST_SESSION_KEYS,
        COGNITO_REGION: 'us-east-1',
        COGNITO_CLIENT_ID: 'testclient',
        COGNITO_ENDPOINT: 'http://127.0.0.1:1',
        TRUSTED_DOCUMENTS_FILE: MANIFEST,
        TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'true',
      },
      USER_POOL_CALL_LIMITS,
    );
    if (config.cognito.mode !== 'remote') throw new Error('remote settings expected');
    const { mode: _mode, ...cognito } = config.cognito;
    core = await createGatewayCore({
      config,
      cognito,
      logger: createLogger('silent'),
      // serviceInfo asks nothing of Cognito.
      cognitoClient: { destroy() {} } as unknown as CognitoIdentityProviderClient,
      plugins: [counting],
    });
    await core.apollo.start();
    handle = core.requestCore({ redirectRoot: false });
  });
  afterAll(async () => {
    await core.apollo.stop();
    await core.close();
  });

  it('runs a manifest document by id, and by its text, without parsing or validating it again', async () => {
    for (const body of [
      { documentId: SERVICE_INFO_ID },
      { query: SERVICE_INFO },
      { documentId: SERVICE_INFO_ID },
    ]) {
      const response = await handle(post(body));
      expect(response.status).toBe(200);
      expect(JSON.parse(String(response.body))).toMatchObject({ data: { serviceInfo: expect.any(Object) } });
    }
    expect(parsed.filter((source) => source === SERVICE_INFO)).toEqual([]);
    expect(validated.filter((source) => source === SERVICE_INFO)).toEqual([]);
  });

  it('parses and validates another text once, then serves it from the store', async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await handle(post({ query: OTHER }));
      expect(JSON.parse(String(response.body))).toMatchObject({ data: { serviceInfo: expect.any(Object) } });
    }
    expect(parsed.filter((source) => source === OTHER)).toEqual([OTHER]);
    expect(validated.filter((source) => source === OTHER)).toEqual([OTHER]);
  });
});
