// GraphQL Code Generator: typed documents and result/variable types for the operations in src/, from the
// gateway's committed schema, and the trusted-documents manifest the gateway runs in production (each
// document's sha256 is also in its `__meta__.hash`). Run `npm run codegen` (at the repo root) after changing either.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const config: CodegenConfig = {
  // Paths below are relative to this directory, whichever directory codegen is started from.
  cwd: __dirname,
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      // The documents as Apollo Client sends them (it adds __typename), so the manifest's are the ones that run.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        // Apollo Client masks fragments itself when asked to; the preset's masking is not needed.
        fragmentMasking: false,
        // src/gql/persisted-documents.json: the gateway's TRUSTED_DOCUMENTS_FILE, ids as it computes them.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Unknown custom scalars become `unknown`, never `any`.
        defaultScalarType: 'unknown',
        // Result fields are always present (null when the schema allows it); optional inputs stay optional.
        avoidOptionals: { field: true, inputValue: false },
        // Apollo Client's cache adds __typename to every selection set except the root mutation.
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
      },
    },
  },
};

export default config;
