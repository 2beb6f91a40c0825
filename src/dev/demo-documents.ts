// The demo page's GraphQL documents, those of src/user-pool-calls/documents.ts, as an Apollo persisted-query
// manifest. Outside production without TRUSTED_DOCUMENTS_FILE the gateway holds them as its persisted
// documents, and the page, served this manifest at /demo/documents.json as a built app carries its own, sends
// their ids rather than queries.
import { sha256Hex } from '../graphql/persisted-document-manifest';
import {
  CONFIRM_FORGOT_PASSWORD,
  CONFIRM_SIGN_UP,
  FORGOT_PASSWORD,
  REFRESH_TOKENS,
  RESEND_CONFIRMATION_CODE,
  RESPOND_TO_SIGN_IN_CHALLENGE,
  SERVICE_INFO,
  SIGN_IN,
  SIGN_OUT,
  SIGN_UP,
} from '../user-pool-calls/documents';

export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation';
  body: string;
}

/** The format GraphQL tooling writes as `persisted-query-manifest.json`, which TRUSTED_DOCUMENTS_FILE reads too. */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

const DEMO_DOCUMENTS = [
  SIGN_UP,
  RESEND_CONFIRMATION_CODE,
  CONFIRM_SIGN_UP,
  FORGOT_PASSWORD,
  CONFIRM_FORGOT_PASSWORD,
  SIGN_IN,
  RESPOND_TO_SIGN_IN_CHALLENGE,
  REFRESH_TOKENS,
  SIGN_OUT,
  SERVICE_INFO,
];

export function demoDocumentManifest(): PersistedQueryManifest {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: DEMO_DOCUMENTS.map((body) => {
      const [, type, name] = /^(query|mutation) (\w+)/.exec(body) ?? [];
      if (!name || (type !== 'query' && type !== 'mutation'))
        throw new Error(`unnamed demo document: ${body}`);
      return { id: sha256Hex(body), name, type, body };
    }),
  };
}

/** The manifest's documents by id, as the gateway holds its persisted documents. */
export function documentsById(manifest: PersistedQueryManifest): ReadonlyMap<string, string> {
  return new Map(manifest.operations.map(({ id, body }) => [id, body]));
}
