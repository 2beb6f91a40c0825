import type { GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from '@apollo/server';
import { type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { countRequests } from '../../../src/graphql/count-requests';
import type { GatewayContext } from '../../../src/http/context';
import { Metrics } from '../../../src/metrics';

async function willSendResponse(
  listener: GraphQLRequestListener<GatewayContext>,
  operation: OperationDefinitionNode,
): Promise<void> {
  await listener.willSendResponse?.({
    operation,
    document: undefined,
    response: { body: { kind: 'single', singleResult: { data: {} } } },
  } as unknown as GraphQLRequestContextWillSendResponse<GatewayContext>);
}

describe('countRequests', () => {
  it("counts every request by its root fields, and works out an operation's label only once", async () => {
    const metrics = new Metrics();
    const plugin = countRequests(metrics);
    const parsed = parse('mutation { b: signUp { x } resendConfirmationCode { x } signUp { y } }')
      .definitions[0] as OperationDefinitionNode;
    // Apollo hands the same parsed operation to every request of one text; a read of its selections is the
    // label being worked out again.
    let reads = 0;
    const operation = {
      ...parsed,
      get selectionSet() {
        reads += 1;
        return parsed.selectionSet;
      },
    } as OperationDefinitionNode;

    for (let i = 0; i < 3; i += 1) {
      const listener = await plugin.requestDidStart?.({} as never);
      if (!listener) throw new Error('no listener');
      await willSendResponse(listener, operation);
    }

    const counted = await metrics.graphqlRequests.get();
    expect(counted.values).toEqual([
      { labels: { operation: 'resendConfirmationCode,signUp', code: 'OK' }, value: 3 },
    ]);
    expect(reads).toBe(1);
  });
});
