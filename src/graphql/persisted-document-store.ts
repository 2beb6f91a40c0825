// The persisted documents (the manifest's, or the demo page's outside production), parsed and validated once
// at start-up against the schema and the gateway's own operation rules, and Apollo Server's document store that
// hands them out, so a request for one of them is neither parsed nor validated again. Whether other documents
// may run too is the trusted-documents policy's to say (http/persisted-documents.ts applies it).
import type { DocumentStore } from '@apollo/server';
import {
  type DocumentNode,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';

/** Why start-up stopped: persisted documents that the schema or the operation rules refuse. */
export class PersistedDocumentsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `TRUSTED_DOCUMENTS_FILE: the manifest is stale or invalid for this gateway:\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'PersistedDocumentsError';
  }
}

export interface ValidationSettings {
  /** The rules Apollo Server is given (operation limits included). */
  validationRules: readonly ValidationRule[];
  parseOptions: ParseOptions;
  introspection: boolean;
}

/**
 * Each document parsed and validated as Apollo Server would (graphql-js's rules, introspection refused when it
 * is off, then the gateway's rules), by id; throws PersistedDocumentsError naming each document refused.
 */
export function compilePersistedDocuments(
  sources: ReadonlyMap<string, string>,
  schema: GraphQLSchema,
  settings: ValidationSettings,
): ReadonlyMap<string, DocumentNode> {
  const rules = [
    ...specifiedRules,
    ...(settings.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ...settings.validationRules,
  ];
  const compiled = new Map<string, DocumentNode>();
  const problems: string[] = [];
  for (const [id, source] of sources) {
    const name = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(source)?.[1] ?? 'anonymous';
    let document: DocumentNode;
    try {
      document = parse(source, settings.parseOptions);
    } catch (error) {
      problems.push(`${name} (${id}): ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0) {
      problems.push(`${name} (${id}): ${errors.map((e) => e.message).join(' ')}`);
      continue;
    }
    compiled.set(id, document);
  }
  if (problems.length > 0) throw new PersistedDocumentsError(problems);
  return compiled;
}

/** Documents of other texts (outside production, or with arbitrary documents allowed) kept for re-use. */
const OTHER_DOCUMENTS_KEPT = 1_000;

/**
 * Apollo Server's document store: the persisted documents first, then a bounded cache of other documents
 * Apollo parsed and validated. Apollo keys it by `<schema hash>:<sha256 of the query text>`, a hash it
 * computes from the text itself, so a persisted document is only ever handed out for its own exact text.
 */
export function persistedDocumentStore(persisted: ReadonlyMap<string, DocumentNode>): DocumentStore {
  const others = new Map<string, DocumentNode>();
  return {
    get: async (key) => persisted.get(key.slice(key.lastIndexOf(':') + 1)) ?? others.get(key),
    set: async (key, value) => {
      if (persisted.has(key.slice(key.lastIndexOf(':') + 1))) return;
      if (others.size >= OTHER_DOCUMENTS_KEPT) {
        const oldest = others.keys().next();
        if (!oldest.done) others.delete(oldest.value);
      }
      others.set(key, value);
    },
    delete: async (key) => others.delete(key),
  };
}
