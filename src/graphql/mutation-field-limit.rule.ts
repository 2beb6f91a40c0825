// Caps the mutation fields one operation executes, since each may send a paid SMS or email. graphql-armor's
// maxAliases counts aliases, which is not the same thing: it exempts every alias spelled `__typename`
// (`__typename: resendConfirmationCode(...)` ran for free), and the unaliased fields beside the aliases are not
// aliases at all. So this rule counts executions: the root fields the operation runs, through fragment spreads
// and inline fragments, once per response key (graphql merges equal keys into one execution). Only the
// `__typename` field itself is free, under any alias. @skip and @include are not evaluated (their variables are
// unknown here): such fields count as run, which can only make the cap stricter.
import {
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

export function mutationFieldLimitRule(maxFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      const keys = new Set<string>();
      collectResponseKeys(node.selectionSet, (name) => context.getFragment(name), keys, new Set());
      if (keys.size > maxFields)
        context.reportError(
          new GraphQLError(`At most ${maxFields} mutation fields may run in one request.`, { nodes: node }),
        );
    },
  });
}

function collectResponseKeys(
  selectionSet: SelectionSetNode,
  getFragment: (name: string) => FragmentDefinitionNode | null | undefined,
  into: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') into.add((selection.alias ?? selection.name).value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectResponseKeys(selection.selectionSet, getFragment, into, visited);
    } else if (!visited.has(selection.name.value)) {
      // A fragment adds the same keys however often it is spread, so once is exact; it also ends cycles,
      // which NoFragmentCyclesRule reports in the same validation pass.
      visited.add(selection.name.value);
      const fragment = getFragment(selection.name.value);
      if (fragment) collectResponseKeys(fragment.selectionSet, getFragment, into, visited);
    }
  }
}
