// Reads a manifest of persisted documents (the file TRUSTED_DOCUMENTS_FILE names): GraphQL Code Generator's
// client preset `persisted-documents.json` ({ "sha256:<hex>": "<document>" }, the prefix optional) or Apollo's
// persisted-query manifest. Each id must be the sha256 of its document, as Apollo Server computes a query's
// hash, so that an id names exactly one text.
import { createHash } from 'node:crypto';

/** A document id as the manifests write it: lower-case sha256 hex. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

const APOLLO_FORMAT = 'apollo-persisted-query-manifest';

export type ManifestResult =
  | { ok: true; documents: ReadonlyMap<string, string> }
  | { ok: false; problem: string };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function parsePersistedDocumentManifest(text: string): ManifestResult {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return { ok: false, problem: 'must be an object of { "<sha256>": "<document>" } or an Apollo manifest' };
  }
  const entries = isApolloManifest(manifest) ? apolloEntries(manifest) : Object.entries(manifest);
  if (typeof entries === 'string') return { ok: false, problem: entries };
  if (entries.length === 0) return { ok: false, problem: 'lists no documents' };
  const documents = new Map<string, string>();
  for (const [key, document] of entries) {
    // The client preset writes its keys `sha256:<hex>`, as the persisted documents proposal does.
    const id = key.startsWith('sha256:') ? key.slice('sha256:'.length) : key;
    if (!SHA256_HEX.test(id)) return { ok: false, problem: `"${id.slice(0, 80)}" is not a sha256 hex id` };
    if (typeof document !== 'string') return { ok: false, problem: `the document of ${id} is not a string` };
    if (sha256Hex(document) !== id) {
      return { ok: false, problem: `${id} is not the sha256 of its document (a stale or edited manifest)` };
    }
    documents.set(id, document);
  }
  return { ok: true, documents };
}

function isApolloManifest(manifest: object): manifest is { format: unknown; version?: unknown } {
  return 'format' in manifest && manifest.format === APOLLO_FORMAT;
}

/** The [id, body] pairs of an Apollo manifest, or what is wrong with it. */
function apolloEntries(manifest: {
  version?: unknown;
  operations?: unknown;
}): Array<[string, unknown]> | string {
  if (manifest.version !== 1) return `${APOLLO_FORMAT} version ${String(manifest.version)} is not supported`;
  if (!Array.isArray(manifest.operations)) return `${APOLLO_FORMAT}: "operations" must be an array`;
  const entries: Array<[string, unknown]> = [];
  for (const [index, operation] of manifest.operations.entries()) {
    if (typeof operation !== 'object' || operation === null || typeof operation.id !== 'string') {
      return `${APOLLO_FORMAT}: operation ${index} has no string "id"`;
    }
    entries.push([operation.id, operation.body]);
  }
  return entries;
}
