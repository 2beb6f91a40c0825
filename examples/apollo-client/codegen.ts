// GraphQL Code Generator: typed documents and result/variable types for the operations in src/, from the
// gateway's committed schema. Run `npm run codegen` (at the repo root) after changing either.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // Paths below are relative to this directory, whichever directory codegen is started from.
  cwd: __dirname,
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // Apollo Client masks fragments itself when asked to; the preset's masking is not needed.
        fragmentMasking: false,
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
