import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePersistedDocumentManifest } from '../../../src/graphql/persisted-document-manifest';
import { SERVICE_INFO } from '../../../src/user-pool-calls/documents';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('parsePersistedDocumentManifest', () => {
  it("reads the client preset's { id: document } map", () => {
    const manifest = JSON.stringify({ [sha256(SERVICE_INFO)]: SERVICE_INFO });
    expect(parsePersistedDocumentManifest(manifest)).toEqual({
      ok: true,
      documents: new Map([[sha256(SERVICE_INFO), SERVICE_INFO]]),
    });
  });

  it('reads ids written sha256:<hex>, as the client preset writes them', () => {
    const manifest = JSON.stringify({ [`sha256:${sha256(SERVICE_INFO)}`]: SERVICE_INFO });
    expect(parsePersistedDocumentManifest(manifest)).toEqual({
      ok: true,
      documents: new Map([[sha256(SERVICE_INFO), SERVICE_INFO]]),
    });
  });

  it("reads Apollo's persisted-query manifest", () => {
    const manifest = JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(SERVICE_INFO), name: 'ServiceInfo', type: 'query', body: SERVICE_INFO }],
    });
    expect(parsePersistedDocumentManifest(manifest)).toEqual({
      ok: true,
      documents: new Map([[sha256(SERVICE_INFO), SERVICE_INFO]]),
    });
  });

  it.each([
    ['bad JSON', '{', 'is not valid JSON'],
    ['an array', '[]', 'must be an object of { "<sha256>": "<document>" }'],
    ['no documents', '{}', 'lists no documents'],
    ['a non-string document', JSON.stringify({ [sha256('x')]: 1 }), 'the document of'],
    ['an id that is not sha256 hex', JSON.stringify({ 'abc/../x': SERVICE_INFO }), 'is not a sha256 hex id'],
    [
      'an id that is not the hash of its document',
      JSON.stringify({ [sha256('query Other { __typename }')]: SERVICE_INFO }),
      'is not the sha256 of its document',
    ],
    [
      'another Apollo manifest version',
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }),
      'version 2 is not supported',
    ],
  ])('refuses %s', (_name, text, problem) => {
    const result = parsePersistedDocumentManifest(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });
});
