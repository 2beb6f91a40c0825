// `npm run emit-schema`: writes schema.graphql from the type-graphql classes (commit the result).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from './schema';

export const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'schema.graphql');

buildGatewaySchema()
  .then((schema) => {
    writeFileSync(SCHEMA_FILE, printGatewaySchema(schema));
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
