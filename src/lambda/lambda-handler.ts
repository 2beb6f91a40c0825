// The gateway as an AWS Lambda function behind API Gateway HTTP API (payload 2.0) or an ALB: the core that the
// node:http server uses (gateway-core.ts), built once per execution environment from the environment, and per
// invocation what the server's HTTP layer does: POST/GET /graphql and, while CHALLENGE_MODE is on, GET
// /challenge, with the same CORS, body rules, trusted documents, request id and error shapes; every other path
// gets the server's 404. Apollo Server runs through @as-integrations/aws-lambda, given the request already
// read: its own event parsers would JSON.parse a body of any size and answer bad JSON with the parser's text.
import type { HTTPGraphQLRequest } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import pino, { type DestinationStream } from 'pino';
import { type Config, ConfigError, loadConfig, logConfigWarnings, startUpFailure } from '../config';
import { ErrorCode } from '../errors';
import { BODY_LIMIT_BYTES, createGatewayCore, type GatewayCore } from '../gateway-core';
import { ANALYTICS_HEADER } from '../http/analytics';
import { CHALLENGE_PATH } from '../http/challenge-route';
import { createContextFactory } from '../http/context';
import { readBufferedJsonBody } from '../http/json-body';
import { resolvePersistedDocument } from '../http/persisted-documents';
import { errorResponse, failureResponse, NOT_FOUND, type PlainResponse } from '../http/plain-response';
import { GRAPHQL_PATH, REQUEST_ID_HEADER } from '../http/server';
import { createLogger, type Logger } from '../logger';
import { USER_POOL_CALL_LIMITS } from '../user-pool-calls/registry';
import { lambdaCors } from './cors';
import { type GatewayEvent, type GatewayResult, type LambdaRequest, readRequest } from './events';

export type { GatewayEvent, GatewayResult } from './events';

/** The function Lambda invokes: one event, one response. */
export type GatewayHandler = (
  event: GatewayEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<GatewayResult>;

export interface LambdaHandlerOptions {
  /**
   * Where the logger writes. By default stdout, which Lambda sends to CloudWatch Logs, written synchronously:
   * Lambda freezes the environment once the handler has answered, and a buffered line could wait for the next
   * invocation or be lost with the environment.
   */
  logDestination?: DestinationStream;
  /** Injected by tests that want to observe the SDK; built from the configuration otherwise. */
  cognitoClient?: CognitoIdentityProviderClient;
}

/** What a GraphQL invocation hands the integration: the request already read and what its context needs. */
interface GraphQLInvocation {
  request: HTTPGraphQLRequest;
  requestId: string;
  clientIp: string | undefined;
}

type Serve = (request: LambdaRequest, requestId: string) => Promise<PlainResponse>;

const INTERNAL = () => errorResponse(500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);

/**
 * Starts building the gateway at once (call it at module scope, so the work falls in Lambda's init phase) and
 * returns the handler, which waits for it. A configuration that cannot serve is reported once, as the one
 * line `npm start` would print; every request then gets a masked 500, never the reason or a stack.
 */
export function createLambdaHandler(
  env: Record<string, string | undefined>,
  options: LambdaHandlerOptions = {},
): GatewayHandler {
  const started = start(env, options).catch((error: unknown) => {
    console.error(startUpFailure(error));
    return undefined;
  });
  return async (event, context) => {
    const requestId = context.awsRequestId;
    const gateway = await started;
    const request = readRequest(event);
    if (!request) {
      const problem =
        'unsupported event: the handler serves API Gateway HTTP API (payload 2.0) and ALB events';
      if (gateway) gateway.logger.error({ requestId }, problem);
      else console.error(problem);
      return answerUnknown(INTERNAL());
    }
    if (!gateway)
      console.error(`request ${requestId} refused: the gateway did not start (see the error at init)`);
    const response = gateway ? await gateway.serve(request, requestId) : INTERNAL();
    return request.answer({ ...response, headers: { ...response.headers, [REQUEST_ID_HEADER]: requestId } });
  };
}

async function start(
  env: Record<string, string | undefined>,
  options: LambdaHandlerOptions,
): Promise<{ serve: Serve; logger: Logger }> {
  const config = loadConfig(env, USER_POOL_CALL_LIMITS);
  if (config.cognito.mode !== 'remote') {
    throw new ConfigError([
      'COGNITO_CLIENT_ID: is required: the Lambda handler has no embedded stand-in (set COGNITO_REGION or COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID and the client secret)',
    ]);
  }
  const { mode: _mode, nonAwsEndpoint: _nonAws, ...cognito } = config.cognito;
  const logger = createLogger(
    config.logLevel,
    options.logDestination ?? pino.destination({ dest: 1, sync: true }),
  );
  logConfigWarnings(config, logger);
  warnAboutLambdaDifferences(config, logger);
  const core = await createGatewayCore({
    config,
    cognito,
    logger,
    ...(options.cognitoClient && { cognitoClient: options.cognitoClient }),
  });
  const graphql = graphqlHandler(core, config, logger);
  await core.limiterStore.ready();
  logger.info(
    { region: cognito.region, userPoolId: cognito.userPoolId, clientId: cognito.clientId },
    'gateway ready (Lambda)',
  );
  return { serve: serveRequests(core, logger, graphql), logger };
}

function warnAboutLambdaDifferences(config: Config, logger: Logger): void {
  if (config.isProduction && !config.limits.redisUrl) {
    logger.warn(
      'REDIS_URL is not set: each Lambda execution environment counts the abuse limits and send budgets on its own, so a caller spread over environments gets each limit once per environment',
    );
  }
  if (config.trustProxy.kind !== 'none') {
    logger.warn(
      'TRUST_PROXY is ignored by the Lambda handler: the client IP is the address API Gateway or the ALB saw',
    );
  }
  if (config.ops)
    logger.warn('OPS_PORT is ignored by the Lambda handler: it serves no /metrics, /readyz or /healthz');
}

/** POST/GET /graphql through the integration, which starts Apollo Server in the background at once. */
function graphqlHandler(core: GatewayCore, config: Config, logger: Logger) {
  const contextOf = createContextFactory({ logger, analyticsEnabled: config.analyticsEnabled });
  const apiGatewayResults = handlers.createAPIGatewayProxyEventV2RequestHandler();
  const requests = handlers.createRequestHandler<GraphQLInvocation, APIGatewayProxyStructuredResultV2>(
    (invocation) => invocation.request,
    {
      success: (response) => apiGatewayResults.toSuccessResult(response),
      // Failures are answered by the caller, which knows the request id to log them with.
      error: (error) => {
        throw error;
      },
    },
  );
  const handler = startServerAndCreateLambdaHandler(core.apollo, requests, {
    context: async ({ event }) =>
      contextOf(event.requestId, event.clientIp, event.request.headers.get(ANALYTICS_HEADER)),
  });
  return async (invocation: GraphQLInvocation): Promise<PlainResponse> => {
    // The integration's handler has Lambda's signature; it neither reads the context nor calls back.
    const result = await handler(invocation, {} as Context, () => {});
    if (!result) throw new Error('the Lambda integration returned no result');
    return {
      status: result.statusCode ?? 200,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
      body: result.body ?? '',
    };
  };
}

function serveRequests(
  core: GatewayCore,
  logger: Logger,
  graphql: (invocation: GraphQLInvocation) => Promise<PlainResponse>,
): Serve {
  const withCors = lambdaCors(core.allowedOrigins);
  const { challenge } = core;

  const runGraphql = async (request: LambdaRequest, requestId: string): Promise<PlainResponse> => {
    try {
      const { method, headers } = request;
      const given =
        method === 'POST'
          ? readBufferedJsonBody(
              request.body,
              {
                contentEncoding: headers.get('content-encoding'),
                contentLength: headers.get('content-length'),
                contentType: headers.get('content-type'),
              },
              BODY_LIMIT_BYTES,
            )
          : undefined;
      const resolved = resolvePersistedDocument(
        { method, body: given, search: request.search },
        core.persistedDocuments,
      );
      if (!resolved.ok) return errorResponse(resolved.status, resolved.message, resolved.code);
      return await graphql({
        request: { method, headers, search: resolved.search, body: resolved.body },
        requestId,
        clientIp: request.clientIp,
      });
    } catch (error) {
      return failureResponse(error, logger, requestId);
    }
  };

  return async (request, requestId) => {
    const { method, path } = request;
    if (path === GRAPHQL_PATH) return withCors(request, () => runGraphql(request, requestId));
    if (
      path === CHALLENGE_PATH &&
      challenge &&
      (method === 'GET' || method === 'HEAD' || method === 'OPTIONS')
    )
      return withCors(request, () => challenge(method));
    return { ...NOT_FOUND, headers: { ...NOT_FOUND.headers } };
  };
}

/** The answer to an event of no kind the handler knows, in API Gateway's shape (it has no better guess). */
function answerUnknown({ status, headers, body }: PlainResponse): GatewayResult {
  return { statusCode: status, headers, body, isBase64Encoded: false };
}
