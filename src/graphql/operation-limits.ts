// Operation limits from graphql-armor (aliases, depth, directives, cost), as Apollo plugins and validation
// rules, so that one request cannot fan out into many Cognito calls or much work.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../config';

/**
 * Operation limits (graphql-armor): aliases, depth, directives and cost per operation, so that one request
 * cannot fan out into many Cognito calls or much work. Tokens are capped by graphql-js's own parser option.
 */
export function operationLimits(config: Config) {
  return new ApolloArmor({
    maxAliases: { n: config.graphql.maxAliases },
    maxDepth: { n: config.graphql.maxDepth },
    maxDirectives: { n: 10 },
    costLimit: { maxCost: 5_000 },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false }, // hideSchemaDetailsFromClientErrors does this
  }).protect();
}
