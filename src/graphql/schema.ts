// Builds the executable schema from the type-graphql classes, with class-validator validation on (see
// validate-argument.ts), and writes the SDL that is committed as schema.graphql.
import { type GraphQLSchema, printSchema } from 'graphql';
import { buildSchema, type ContainerType } from 'type-graphql';
import { USER_POOL_RESOLVERS } from '../user-pool-calls/registry';
import { ServiceInfoResolver } from './service-info.resolver';
import { validateArgument } from './validate-argument';

// biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes as Function
export const RESOLVERS: [Function, ...Function[]] = [ServiceInfoResolver, ...USER_POOL_RESOLVERS];

/** `container` supplies resolver instances with their dependencies; without it (schema emit) none are built. */
export function buildGatewaySchema(container?: ContainerType): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validateFn: validateArgument,
    ...(container && { container }),
  });
}

export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(schema)}\n`;
}

/** A container that hands out the instances the composition root built, keyed by class. */
export function instanceContainer(instances: object[]): ContainerType {
  const byClass = new Map<unknown, object>(instances.map((i) => [i.constructor, i]));
  return {
    get(someClass) {
      const instance = byClass.get(someClass);
      if (!instance) throw new Error(`No instance registered for ${(someClass as { name?: string }).name}`);
      return instance;
    },
  };
}
