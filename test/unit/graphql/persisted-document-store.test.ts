import { createHash } from 'node:crypto';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  compilePersistedDocuments,
  persistedDocumentStore,
} from '../../../src/graphql/persisted-document-store';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const schema = buildSchema('type Query { hello: String }');
const HELLO = 'query Hello { hello }';
const settings = { validationRules: [], parseOptions: {}, introspection: true };

describe('persistedDocumentStore', () => {
  const compiled = compilePersistedDocuments(new Map([[sha256(HELLO), HELLO]]), schema, settings);
  const store = persistedDocumentStore(compiled);

  it("hands out the document parsed at start-up for its text's hash, under Apollo's schema-hash prefix", async () => {
    expect(await store.get(`schemahash:${sha256(HELLO)}`)).toBe(compiled.get(sha256(HELLO)));
  });

  it('keeps other documents Apollo validated, and never lets one replace a trusted document', async () => {
    const other = compilePersistedDocuments(new Map([[sha256('{ hello }'), '{ hello }']]), schema, settings);
    const otherNode = other.get(sha256('{ hello }'));
    if (!otherNode) throw new Error('not compiled');
    await store.set(`schemahash:${sha256('{ hello }')}`, otherNode);
    await store.set(`schemahash:${sha256(HELLO)}`, otherNode);
    expect(await store.get(`schemahash:${sha256('{ hello }')}`)).toBe(otherNode);
    expect(await store.get(`schemahash:${sha256(HELLO)}`)).toBe(compiled.get(sha256(HELLO)));
  });
});

describe('compilePersistedDocuments', () => {
  it('names every refused document, unparseable ones included', () => {
    const broken = 'query Broken {';
    const wrong = 'query Wrong { nope }';
    expect(() =>
      compilePersistedDocuments(
        new Map([
          [sha256(broken), broken],
          [sha256(wrong), wrong],
        ]),
        schema,
        settings,
      ),
    ).toThrow(
      /Broken \([0-9a-f]{64}\): Syntax Error.*\n {2}- Wrong \([0-9a-f]{64}\): Cannot query field "nope"/s,
    );
  });
});
