// The gateway as an AWS Lambda function behind API Gateway HTTP API (payload 2.0) or an ALB: the gateway's
// services (gateway-core.ts) and the request core (http/request-core.ts) that the node:http server uses, built
// once per execution environment from the environment; each invocation goes through the Lambda adapter
// (lambda-adapter.ts), so both transports share one router: the same routes, CORS, body rules, persisted
// documents under the trusted-documents policy, request id and error shapes.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pino, { type DestinationStream } from 'pino';
import { type Config, ConfigError, loadConfig, logConfigWarnings, startUpFailure } from '../config';
import { createGatewayCore } from '../gateway-core';
import { createLogger, type Logger } from '../logger';
import { USER_POOL_CALL_LIMITS } from '../user-pool-calls/registry';
import { createEventHandler, type GatewayHandler, type StartedGateway } from './lambda-adapter';

export type { GatewayEvent, GatewayHandler, GatewayResult } from './lambda-adapter';

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
  return createEventHandler(started);
}

async function start(
  env: Record<string, string | undefined>,
  options: LambdaHandlerOptions,
): Promise<StartedGateway> {
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
  const services = await createGatewayCore({
    config,
    cognito,
    logger,
    ...(options.cognitoClient && { cognitoClient: options.cognitoClient }),
  });
  // As the Lambda integration of Apollo Server does: a failed start fails every GraphQL request, logged.
  services.apollo.startInBackgroundHandlingStartupErrorsByLoggingAndFailingAllRequests();
  const core = services.requestCore({ redirectRoot: false });
  await services.limiterStore.ready();
  logger.info(
    { region: cognito.region, userPoolId: cognito.userPoolId, clientId: cognito.clientId },
    'gateway ready (Lambda)',
  );
  return { core, logger };
}

function warnAboutLambdaDifferences(config: Config, logger: Logger): void {
  if (config.isProduction && !config.limits.redis) {
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
