// The example's generated types (examples/apollo-client/src/gql/) are committed, and type-checked with the
// rest of the repo: they must be what codegen makes from the committed schema.graphql and the example's
// operations now. Otherwise a schema change that breaks frontends would pass against stale types.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../examples/apollo-client/codegen';

const exampleDir = join(__dirname, '..', '..', 'examples', 'apollo-client');
const generatedDir = 'src/gql';

describe('examples/apollo-client/src/gql', () => {
  it('is what `npm run codegen` generates from schema.graphql and the example operations', async () => {
    let outputs: Array<{ filename: string; content: string }>;
    try {
      outputs = await generate({ ...config, cwd: exampleDir, silent: true }, false);
    } catch (error) {
      throw new Error(
        `codegen failed: the example's operations no longer match schema.graphql, so this schema change breaks ` +
          `frontends (or the operations are wrong):\n${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const generated = Object.fromEntries(outputs.map((o) => [o.filename, o.content]));
    const committed = Object.fromEntries(
      readdirSync(join(exampleDir, generatedDir)).map((name) => [
        `${generatedDir}/${name}`,
        readFileSync(join(exampleDir, generatedDir, name), 'utf8'),
      ]),
    );
    expect(
      committed,
      'the generated files (or the trusted-documents manifest) are stale: run `npm run codegen` and commit the result',
    ).toEqual(generated);
  });
});
