import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGatewaySchema, printGatewaySchema } from '../../../src/graphql/schema';

describe('schema.graphql', () => {
  it('is what the type-graphql classes emit (run `npm run build && npm run emit-schema` after a change)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(printGatewaySchema(await buildGatewaySchema())).toBe(committed);
  });

  it('never accepts ClientId or SecretHash from clients', async () => {
    const sdl = printGatewaySchema(await buildGatewaySchema());
    expect(sdl).not.toMatch(/clientId|secretHash|clientSecret/i);
  });
});
