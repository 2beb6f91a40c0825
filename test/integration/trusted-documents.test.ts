// Trusted documents over real HTTP: a production gateway with a manifest runs only the manifest's documents,
// named by id (`documentId`, bare or `sha256:` hex, or Apollo's persistedQuery extension); everything else is
// refused before Apollo parses it, so nothing reaches the stand-in Cognito. Outside production, and with
// TRUSTED_DOCUMENTS_ALLOW_ARBITRARY, full queries still run (Apollo Sandbox).
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { SERVICE_INFO, SIGN_UP } from '../../src/user-pool-calls/documents';
import { type Harness, startHarness } from '../support/gateway-harness';
import { signUpWith } from '../support/user-pool-requests';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SIGN_UP_ID = sha256(SIGN_UP);
const SERVICE_INFO_ID = sha256(SERVICE_INFO);
const UNKNOWN_ID = sha256('query Other { serviceInfo { challengeMode } }');

const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
const MANIFEST = join(dir, 'persisted-documents.json');
writeFileSync(MANIFEST, JSON.stringify({ [SIGN_UP_ID]: SIGN_UP, [SERVICE_INFO_ID]: SERVICE_INFO }));

let counter = 0;
const signUpInput = () => {
  counter += 1;
  const username = `trusted${counter}@example.com`;
  return signUpWith(username, { email: username }).variables;
};
const signUps = (h: Harness) => h.standIn.calls.filter((c) => c.action === 'SignUp').length;
// biome-ignore lint/suspicious/noExplicitAny: response bodies of any shape
const code = (body: any): unknown => body?.errors?.[0]?.extensions?.code;
const get = (h: Harness, params: Record<string, string>) =>
  fetch(`${h.url}?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true' } });

describe('a production gateway with a trusted-documents manifest', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production', TRUSTED_DOCUMENTS_FILE: MANIFEST } });
  });
  afterAll(() => h.close());

  it('refuses a full query with PERSISTED_DOCUMENT_REQUIRED (400) and calls no Cognito', async () => {
    const before = signUps(h);
    const res = await h.graphql({ query: SIGN_UP, variables: signUpInput() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'This gateway runs only its trusted documents: send a documentId instead of a query.',
          extensions: { code: 'PERSISTED_DOCUMENT_REQUIRED' },
        },
      ],
    });
    expect(signUps(h) - before).toBe(0);
  });

  it('refuses an unknown id with PERSISTED_DOCUMENT_NOT_FOUND (400) and calls no Cognito', async () => {
    const before = signUps(h);
    const res = await h.graphql({ documentId: UNKNOWN_ID, variables: signUpInput() });
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    expect(signUps(h) - before).toBe(0);
  });

  it.each([
    ['documentId as bare hex', () => ({ documentId: SIGN_UP_ID })],
    ['documentId as sha256:<hex>', () => ({ documentId: `sha256:${SIGN_UP_ID}` })],
    [
      'the persistedQuery extension',
      () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: SIGN_UP_ID } } }),
    ],
  ])('runs a manifest document named by %s (signUp reaches Cognito)', async (_name, request) => {
    const before = signUps(h);
    const res = await h.graphql({ ...request(), variables: signUpInput() });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.signUp.userSub).toEqual(expect.any(String));
    expect(signUps(h) - before).toBe(1);
  });

  it('runs a query by id over GET', async () => {
    const res = await get(h, { documentId: `sha256:${SERVICE_INFO_ID}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
  });

  it('never runs a mutation by id over GET (405) and calls no Cognito', async () => {
    const before = signUps(h);
    const res = await get(h, { documentId: SIGN_UP_ID, variables: JSON.stringify(signUpInput()) });
    expect(res.status).toBe(405);
    expect(signUps(h) - before).toBe(0);
  });

  it('refuses a full query over GET with PERSISTED_DOCUMENT_REQUIRED', async () => {
    const res = await get(h, { query: SERVICE_INFO });
    expect(res.status).toBe(400);
    expect(code(await res.json())).toBe('PERSISTED_DOCUMENT_REQUIRED');
  });

  describe('refuses what an attacker might try, calling no Cognito', () => {
    // Its own document on purpose: a sign-up that is in no manifest, its input written inline.
    const injected = `mutation { a: signUp(input: { username: "x@example.com", password: "correct-horse-battery" }) { userSub } }`;
    it.each([
      ['a known id together with a query', { documentId: SIGN_UP_ID, query: injected }, 'BAD_REQUEST'],
      [
        'a known hash together with a query (APQ registration)',
        { query: injected, extensions: { persistedQuery: { version: 1, sha256Hash: SIGN_UP_ID } } },
        'BAD_REQUEST',
      ],
      [
        // Where full queries may run, an unknown hash is left to Apollo so that its client falls back; here
        // nothing but the manifest runs, so neither the hash nor the query it came with goes through.
        'an unknown hash together with a query',
        { query: injected, extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_ID } } },
        'BAD_REQUEST',
      ],
      [
        'an unknown hash alone',
        { extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_ID } } },
        'PERSISTED_DOCUMENT_NOT_FOUND',
      ],
      [
        'two different ids',
        { documentId: SIGN_UP_ID, extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_ID } } },
        'BAD_REQUEST',
      ],
      ['an id of path characters', { documentId: `../../${SIGN_UP_ID}` }, 'PERSISTED_DOCUMENT_NOT_FOUND'],
      ['a huge id', { documentId: 'a'.repeat(60_000) }, 'PERSISTED_DOCUMENT_NOT_FOUND'],
      [
        'an id that is not a string',
        { documentId: { toString: SIGN_UP_ID } },
        'PERSISTED_DOCUMENT_NOT_FOUND',
      ],
      ['an upper-case id', { documentId: SIGN_UP_ID.toUpperCase() }, 'PERSISTED_DOCUMENT_NOT_FOUND'],
      ['an id with another algorithm', { documentId: `sha1:${SIGN_UP_ID}` }, 'PERSISTED_DOCUMENT_NOT_FOUND'],
      ['an empty query with an id', { documentId: SIGN_UP_ID, query: '' }, 'BAD_REQUEST'],
    ])('%s', async (_name, request, expected) => {
      const before = signUps(h);
      const res = await h.graphql({ ...request, variables: signUpInput() });
      expect(res.status).toBe(400);
      expect(code(res.body)).toBe(expected);
      expect(signUps(h) - before).toBe(0);
    });

    it('a batch of requests by id', async () => {
      const before = signUps(h);
      const res = await h.graphql([
        { documentId: SIGN_UP_ID, variables: signUpInput() },
        { documentId: SIGN_UP_ID, variables: signUpInput() },
      ]);
      expect(res.status).toBe(400);
      expect(signUps(h) - before).toBe(0);
    });

    it('a batch with full queries', async () => {
      const before = signUps(h);
      const res = await h.graphql([{ query: SIGN_UP, variables: signUpInput() }]);
      expect(res.status).toBe(400);
      expect(signUps(h) - before).toBe(0);
    });

    it('two documentId parameters over GET', async () => {
      const res = await fetch(`${h.url}?documentId=${SERVICE_INFO_ID}&documentId=${UNKNOWN_ID}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(res.status).toBe(400);
      expect(code(await res.json())).toBe('BAD_REQUEST');
    });

    it('variables cannot add fields: a known id runs its own document only', async () => {
      const before = signUps(h);
      const res = await h.graphql({ documentId: SIGN_UP_ID, variables: { ...signUpInput(), extra: 1 } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.data)).toEqual(['signUp']);
      expect(signUps(h) - before).toBe(1);
    });
  });
});

describe('TRUSTED_DOCUMENTS_ALLOW_ARBITRARY=true in production (staging)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        NODE_ENV: 'production',
        TRUSTED_DOCUMENTS_FILE: MANIFEST,
        TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: 'true',
      },
    });
  });
  afterAll(() => h.close());

  it('runs a full query, and still runs documents by id', async () => {
    const before = signUps(h);
    const full = await h.graphql({ query: SIGN_UP, variables: signUpInput() });
    expect(full.body.data.signUp.userSub).toEqual(expect.any(String));
    const byId = await h.graphql({ documentId: SIGN_UP_ID, variables: signUpInput() });
    expect(byId.body.data.signUp.userSub).toEqual(expect.any(String));
    expect(signUps(h) - before).toBe(2);
  });

  it("leaves an Apollo hash it does not know to Apollo, so Apollo Client's link falls back to the full query", async () => {
    const apq = await h.graphql({ extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_ID } } });
    expect(code(apq.body)).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    // A documentId is the caller's own claim of a manifest document: an unknown one is still refused.
    const byId = await h.graphql({ documentId: UNKNOWN_ID });
    expect(code(byId.body)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const known = await h.graphql({
      extensions: { persistedQuery: { version: 1, sha256Hash: SERVICE_INFO_ID } },
    });
    expect(known.body).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
  });
});

describe('outside production', () => {
  it('without a manifest, runs full queries (Sandbox) and knows no document id', async () => {
    const h = await startHarness();
    try {
      const full = await h.graphql({ query: SERVICE_INFO });
      expect(full.body).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
      const byId = await h.graphql({ documentId: SERVICE_INFO_ID });
      expect(byId.status).toBe(400);
      expect(code(byId.body)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
      // Apollo's own answer to its extension, which Apollo Client's persisted-query link falls back from.
      const apq = await h.graphql({
        extensions: { persistedQuery: { version: 1, sha256Hash: SERVICE_INFO_ID } },
      });
      expect(code(apq.body)).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    } finally {
      await h.close();
    }
  });

  it('with a manifest, runs documents by id and full queries alike', async () => {
    const h = await startHarness({ env: { TRUSTED_DOCUMENTS_FILE: MANIFEST } });
    try {
      const full = await h.graphql({ query: 'query Mine { serviceInfo { challengeMode } }' });
      expect(full.body).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
      const byId = await h.graphql({ documentId: SERVICE_INFO_ID });
      expect(byId.body).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
    } finally {
      await h.close();
    }
  });
});

describe('a stale or invalid manifest stops start-up with a clear message', () => {
  let standIn: LocalCognito;
  beforeAll(async () => {
    standIn = await startLocalCognito();
  });
  afterAll(() => standIn.close());
  const manifestOf = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const documents = (...texts: string[]) =>
    JSON.stringify(Object.fromEntries(texts.map((t) => [sha256(t), t])));
  const startWith = (file: string) =>
    startHarness({ standIn, env: { NODE_ENV: 'production', TRUSTED_DOCUMENTS_FILE: file } }).then((h) =>
      h.close(),
    );

  it.each([
    ['bad JSON', '{"', 'TRUSTED_DOCUMENTS_FILE: is not valid JSON'],
    [
      'an id that is not the sha256 of its document',
      JSON.stringify({ [SERVICE_INFO_ID]: `${SERVICE_INFO} ` }),
      `TRUSTED_DOCUMENTS_FILE: ${SERVICE_INFO_ID} is not the sha256 of its document`,
    ],
  ])('%s (ConfigError)', async (name, content, message) => {
    await expect(startWith(manifestOf(`${name}.json`, content))).rejects.toThrow(message);
  });

  it('a document that no longer fits the schema, named with its id', async () => {
    const stale = 'query Stale { serviceInfo { challengeMode removedField } }';
    await expect(startWith(manifestOf('stale.json', documents(SERVICE_INFO, stale)))).rejects.toThrow(
      `TRUSTED_DOCUMENTS_FILE: the manifest is stale or invalid for this gateway:\n  - Stale (${sha256(stale)}): Cannot query field "removedField"`,
    );
  });

  it('a document past the operation limits (aliases)', async () => {
    const fields = Array.from({ length: 7 }, (_, i) => `a${i}: serviceInfo { challengeMode }`).join(' ');
    const tooMany = `query TooMany { ${fields} }`;
    await expect(startWith(manifestOf('aliases.json', documents(tooMany)))).rejects.toThrow(
      /TooMany \([0-9a-f]{64}\): .*[Aa]liases/,
    );
  });

  it('a document with introspection while introspection is off', async () => {
    const introspection = 'query Schema { __schema { queryType { name } } }';
    await expect(startWith(manifestOf('introspection.json', documents(introspection)))).rejects.toThrow(
      /Schema \([0-9a-f]{64}\): .*introspection/i,
    );
  });
});
