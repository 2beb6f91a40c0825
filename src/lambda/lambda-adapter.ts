// The Lambda adapter of the request core (src/http/request-core.ts): an API Gateway HTTP API (payload 2.0) or
// ALB event becomes a plain request, the plain response is shaped back for the event's sender, with the
// invocation's request id. An event of another kind, or a gateway that did not start, gets a masked 500.
import type { Context } from 'aws-lambda';
import { ErrorCode } from '../errors';
import { errorResponse } from '../http/plain-response';
import { REQUEST_ID_HEADER, type RequestCore } from '../http/request-core';
import type { Logger } from '../logger';
import {
  answerHttpApi,
  type CompleteResponse,
  type GatewayEvent,
  type GatewayResult,
  readRequest,
} from './events';

export type { GatewayEvent, GatewayResult } from './events';

/** The function Lambda invokes: one event, one response. */
export type GatewayHandler = (
  event: GatewayEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<GatewayResult>;

/** What start-up built: the request core and the logger to report with. */
export interface StartedGateway {
  core: RequestCore;
  logger: Logger;
}

const internal = (): CompleteResponse =>
  errorResponse(500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR) as CompleteResponse;

/** The handler, which waits for `started`; undefined there means the gateway could not start. */
export function createEventHandler(started: Promise<StartedGateway | undefined>): GatewayHandler {
  return async (event, context) => {
    const requestId = context.awsRequestId;
    const gateway = await started;
    const request = readRequest(event);
    if (!request) {
      const problem =
        'unsupported event: the handler serves API Gateway HTTP API (payload 2.0) and ALB events';
      if (gateway) gateway.logger.error({ requestId }, problem);
      else console.error(problem);
      // In API Gateway's shape: there is no better guess.
      return answerHttpApi(internal());
    }
    if (!gateway) {
      console.error(`request ${requestId} refused: the gateway did not start (see the error at init)`);
      return request.answer(withRequestId(internal(), requestId));
    }
    const { body, ...plain } = request;
    const response = await gateway.core({
      ...plain,
      readBody: async () => body,
      requestId,
    });
    if (typeof response.body !== 'string') {
      // A Lambda function answers in one piece: a streamed GraphQL answer (incremental delivery) cannot go.
      gateway.logger.error({ requestId }, 'request failed: a streamed answer cannot be sent from Lambda');
      return request.answer(withRequestId(internal(), requestId));
    }
    return request.answer({ ...response, body: response.body });
  };
}

function withRequestId(response: CompleteResponse, requestId: string): CompleteResponse {
  return { ...response, headers: { ...response.headers, [REQUEST_ID_HEADER]: requestId } };
}
