import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Vitest's default transform (esbuild) does not emit decorator metadata, which type-graphql and
// class-validator read at run time; SWC does.
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; Vite would pick the ESM one for our sources while Apollo Server and
    // type-graphql load the CJS one, giving two GraphQLError classes. Production (plain Node) loads CJS only.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
