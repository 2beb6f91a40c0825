// Apollo plugin: counts each GraphQL request by the root fields it ran and its first error code.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../http/context';
import type { Metrics } from '../metrics';

/**
 * Counts each GraphQL request by the root fields it ran (names from the schema, so the label set stays
 * small; `-` when the operation never got that far) and its first error code, or OK.
 */
export function countRequests(metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  // By operation node: Apollo's document store hands the same parsed document to every request of one text,
  // so each operation's label is worked out once, not on every request.
  const labels = new WeakMap<OperationDefinitionNode, string>();
  const labelOf = (operation: OperationDefinitionNode, document: DocumentNode | undefined) => {
    let label = labels.get(operation);
    if (label === undefined) {
      const fields = new Set<string>();
      collectRootFields(operation.selectionSet, document, fields);
      label = fields.size > 0 ? [...fields].sort().join(',') : '-';
      labels.set(operation, label);
    }
    return label;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, document, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          metrics.graphqlRequests.inc({
            operation: operation ? labelOf(operation, document) : '-',
            code: typeof code === 'string' ? code : errors ? 'INTERNAL_SERVER_ERROR' : 'OK',
          });
        },
      };
    },
  };
}

/** The names of the root fields a selection set runs, through inline fragments and fragment spreads. */
export function collectRootFields(
  selectionSet: SelectionSetNode,
  document: DocumentNode | undefined,
  into: Set<string>,
  seen = new Set<string>(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      into.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectRootFields(selection.selectionSet, document, into, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document?.definitions.find(
        (d): d is FragmentDefinitionNode =>
          d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment) collectRootFields(fragment.selectionSet, document, into, seen);
    }
  }
}
