// A validation rule graphql 16 lacks (graphql 17 has it): an operation whose type the schema does not have
// (here: subscriptions) is refused at validation with GRAPHQL_VALIDATION_FAILED, instead of failing during
// execution as an unexpected error.
import { GraphQLError, type ValidationRule } from 'graphql';

export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root =
      node.operation === 'query'
        ? schema.getQueryType()
        : node.operation === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (!root)
      context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }));
  },
});
