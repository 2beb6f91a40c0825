// Persisted documents on the wire: turns a request that names a document by id (`documentId`, from the
// GraphQL-over-HTTP persisted documents proposal, or Apollo's `extensions.persistedQuery.sha256Hash`) into the
// same request with the document's text, before Apollo Server sees it. The trusted-documents policy, when it is
// enforced, changes two answers here, both decided while the id is read: a request that sends a query instead
// of an id is refused, and an id the gateway does not know is never handed on to Apollo's own fallback.
// Nothing refused here is executed.
import { ErrorCode } from '../errors';

/** The documents a request may name by id: the manifest's, or outside production without one the demo's. */
export interface PersistedDocuments {
  /** The text of a persisted document by its sha256 hex id. */
  lookup(id: string): string | undefined;
}

export interface GraphQLHttpRequest {
  method: string;
  body: unknown;
  search: string;
}

export type Resolution =
  | { ok: true; body: unknown; search: string }
  | { ok: false; status: number; code: ErrorCode; message: string };

/** `sha256:<hex>` as the proposal writes it, or the bare hex that the manifests and Apollo's extension use. */
const DOCUMENT_ID = /^(?:sha256:)?([0-9a-f]{64})$/;

const refusal = (code: ErrorCode, message: string): Resolution => ({ ok: false, status: 400, code, message });
const NOT_FOUND = refusal(
  ErrorCode.PERSISTED_DOCUMENT_NOT_FOUND,
  'This gateway knows no document by that id. Rebuild the client against its manifest.',
);
const REQUIRED = refusal(
  ErrorCode.PERSISTED_DOCUMENT_REQUIRED,
  'This gateway runs only its trusted documents: send a documentId instead of a query.',
);
const BOTH = refusal(ErrorCode.BAD_REQUEST, 'Send either a documentId or a query, not both.');
const AMBIGUOUS = refusal(ErrorCode.BAD_REQUEST, 'A request names at most one document id.');

/**
 * What Apollo Server should be given for this request. `documents` is undefined when the gateway holds none:
 * then a `documentId` is unknown, and Apollo's own extension is left to Apollo (which answers
 * PERSISTED_QUERY_NOT_SUPPORTED, so Apollo Client's persisted-query link falls back to full queries).
 * `trustedDocumentsEnforced`: only `documents` may run (the trusted-documents policy).
 */
export function resolvePersistedDocument(
  request: GraphQLHttpRequest,
  documents: PersistedDocuments | undefined,
  trustedDocumentsEnforced: boolean,
): Resolution {
  const known: Known = { documents, trustedDocumentsEnforced };
  const unchanged: Resolution = { ok: true, body: request.body, search: request.search };
  if (request.method === 'GET') return resolveGet(request.search, known, unchanged);
  // Batches are refused by Apollo (allowBatchedHttpRequests is off); a body that is not JSON, by Apollo too.
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return unchanged;
  const fields = body as Record<string, unknown>;
  const extensions = isRecord(fields.extensions) ? fields.extensions : undefined;
  const hash = isRecord(extensions?.persistedQuery) ? extensions.persistedQuery.sha256Hash : undefined;
  const given = fields.documentId ?? hash;
  const query = fields.query ?? undefined;
  if (fields.documentId !== undefined && hash !== undefined && fields.documentId !== hash) return AMBIGUOUS;
  const source = resolveId(given, query, known, extensions?.persistedQuery !== undefined);
  if (source === 'unchanged') return unchanged;
  if (typeof source !== 'string') return source;
  const { documentId: _id, extensions: _extensions, ...rest } = fields;
  const otherExtensions = withoutPersistedQuery(extensions);
  return {
    ok: true,
    body: { ...rest, query: source, ...(otherExtensions && { extensions: otherExtensions }) },
    search: request.search,
  };
}

/** The documents the gateway holds by id, and whether only they may run. */
interface Known {
  documents: PersistedDocuments | undefined;
  trustedDocumentsEnforced: boolean;
}

function resolveGet(search: string, known: Known, unchanged: Resolution): Resolution {
  const params = new URLSearchParams(search);
  const ids = params.getAll('documentId');
  if (ids.length > 1) return AMBIGUOUS;
  const extensionsParams = params.getAll('extensions');
  let extensions: Record<string, unknown> | undefined;
  if (extensionsParams.length === 1) {
    try {
      const parsed: unknown = JSON.parse(extensionsParams[0] ?? '');
      if (isRecord(parsed)) extensions = parsed;
    } catch {
      // Apollo refuses malformed extensions itself.
    }
  }
  const hash = isRecord(extensions?.persistedQuery) ? extensions.persistedQuery.sha256Hash : undefined;
  const documentId = ids[0];
  if (documentId !== undefined && hash !== undefined && documentId !== hash) return AMBIGUOUS;
  const query = params.getAll('query');
  const source = resolveId(
    documentId ?? hash,
    query.length > 0 ? query : undefined,
    known,
    extensions?.persistedQuery !== undefined,
  );
  if (source === 'unchanged') return unchanged;
  if (typeof source !== 'string') return source;
  params.delete('documentId');
  params.set('query', source);
  const otherExtensions = withoutPersistedQuery(extensions);
  if (otherExtensions) params.set('extensions', JSON.stringify(otherExtensions));
  else params.delete('extensions');
  return { ok: true, body: undefined, search: `?${params.toString()}` };
}

/** The text to run, a refusal, or 'unchanged' for a request that Apollo should see as it came. */
function resolveId(
  given: unknown,
  query: unknown,
  { documents, trustedDocumentsEnforced }: Known,
  apolloExtension: boolean,
): string | Resolution | 'unchanged' {
  if (given === undefined) return trustedDocumentsEnforced && query !== undefined ? REQUIRED : 'unchanged';
  if (documents === undefined && apolloExtension) return 'unchanged';
  const id = typeof given === 'string' ? DOCUMENT_ID.exec(given)?.[1] : undefined;
  const source = id === undefined ? undefined : documents?.lookup(id);
  // Where full queries may run anyway, Apollo answers a hash it does not know (PERSISTED_QUERY_NOT_SUPPORTED),
  // and Apollo Client's persisted-query link sends the full query instead: clients built from other documents
  // than the manifest (or the demo's) keep working in development and staging.
  if (source === undefined && apolloExtension && !trustedDocumentsEnforced) return 'unchanged';
  // Both at once: which would run is a guess; refusing leaves nothing to smuggle past the trusted-documents policy.
  if (query !== undefined) return BOTH;
  return source ?? NOT_FOUND;
}

function withoutPersistedQuery(
  extensions: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (extensions === undefined) return undefined;
  const { persistedQuery: _persisted, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
