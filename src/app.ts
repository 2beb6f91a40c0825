// Composition root of the gateway: builds the Cognito client, resolvers, schema, Apollo Server and the
// HTTP server, and owns their start and stop. It never knows whether Cognito is real or the local stand-in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from './cognito/client';
import { ClientSecretSource, type ReloadResult } from './cognito/client-secret-source';
import { CognitoCaller } from './cognito/cognito-caller';
import { type CognitoSettings, type Config, clientSecretProblem } from './config';
import { countRequests } from './graphql/count-requests';
import { formatError } from './graphql/format-error';
import { KnownOperationTypesRule } from './graphql/known-operation-types.rule';
import { logUnexpectedErrors } from './graphql/log-unexpected-errors';
import { mutationFieldLimitRule } from './graphql/mutation-field-limit.rule';
import { operationLimits } from './graphql/operation-limits';
import { buildGatewaySchema, instanceContainer } from './graphql/schema';
import { ServiceInfoResolver } from './graphql/service-info.resolver';
import { compileTrustedDocuments, trustedDocumentStore } from './graphql/trusted-documents';
import { challengeRoute } from './http/challenge-route';
import { capturePeerAddresses, compileTrust } from './http/client-ip';
import { limitConnectionsPerPeer } from './http/connection-limits';
import { createContextFunction, type GatewayContext } from './http/context';
import { allowedOrigins } from './http/cors';
import { operationsRoutes } from './http/operations';
import { createOperationsServer } from './http/operations-server';
import { createHttpHandler, GRAPHQL_PATH, type Handler } from './http/server';
import { AbuseLimiter } from './limits/abuse-limiter';
import { DestinationLinks } from './limits/destination-links';
import { memoryLimiterStore, redisLimiterStore } from './limits/limiter-store';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { BudgetWatch } from './spend-guard/budget-watch';
import { AltchaVerifier } from './spend-guard/challenge/altcha-verifier';
import { ChallengeGate, type ChallengeGateSettings } from './spend-guard/challenge/challenge-gate';
import { type AnyUserPoolCall, limitRulesOf, UserPoolCalls } from './user-pool-calls/pipeline';
import { USER_POOL_CALLS } from './user-pool-calls/registry';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** How often Node looks for connections past their header or request timeout (30 s by default). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;
/** How long a request on the operations port may still run once the gateway has stopped, before it is cut. */
const OPERATIONS_CLOSE_GRACE_MS = 500;

export interface GatewayOptions {
  config: Config;
  cognito: CognitoSettings;
  logger: Logger;
  /** Injected by tests that want to observe the SDK; built from config otherwise. */
  cognitoClient?: CognitoIdentityProviderClient;
  /** What the demo page adds outside production (src/dev builds it); ignored in production. */
  development?: DevelopmentAdditions;
}

export interface DevelopmentAdditions {
  /** Extra GET routes (the demo page and its files). */
  routes: ReadonlyMap<string, Handler>;
  /** Documents by sha256 id, registered as the trusted documents when TRUSTED_DOCUMENTS_FILE is not set. */
  trustedDocuments?: ReadonlyMap<string, string>;
}

export interface Gateway {
  httpServer: Server;
  /** The server of OPS_PORT (/metrics, /readyz, /healthz), when it is set. */
  opsServer?: Server;
  /** Once listen() has resolved: the base URL of the OPS_PORT server (e.g. http://127.0.0.1:9464), if any. */
  readonly opsUrl: string | undefined;
  /** Resolves with the URL of the GraphQL endpoint; with OPS_PORT set, its server listens too. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Forgets every abuse-limit counter and destination link (with Redis, for every instance sharing it).
   * For development: local mode wires it to the stand-in's DELETE /_local/limits.
   */
  resetLimits(): Promise<void>;
  /**
   * Re-reads COGNITO_CLIENT_SECRET_FILE now (main.ts calls it on SIGHUP); the file is watched anyway.
   * Undefined when the secret did not come from a file (inline, or none), so there is nothing to re-read.
   */
  reloadClientSecret(): ReloadResult | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), then closes upstream sockets. */
  stop(): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, cognito, logger } = options;
  const client = options.cognitoClient ?? createCognitoClient(cognito, config.upstream);
  const metrics = new Metrics();
  const cognitoCaller = new CognitoCaller(
    client,
    { maxInFlight: config.upstream.maxInFlight },
    logger,
    (call, outcome, s) => metrics.cognitoDuration.observe({ call, outcome }, s),
  );
  const limiterStore = config.limits.redisUrl
    ? redisLimiterStore(config.limits.redisUrl, logger)
    : memoryLimiterStore();
  const keys = {
    usernameCaseSensitive: config.limits.usernameCaseSensitive,
    ipv6PrefixBits: config.limits.ipv6PrefixBits,
  };
  const budgets = new BudgetWatch(metrics, logger);
  const buildLimiter = (call: AnyUserPoolCall) =>
    new AbuseLimiter(
      limitRulesOf(call, config.limits),
      limiterStore.createLimiter,
      keys,
      (rule) => metrics.limiterRefusals.inc({ rule }),
      budgets.observe,
    );
  const secretSource =
    cognito.clientSecret &&
    new ClientSecretSource(
      cognito.clientSecret,
      cognito.clientSecretFile === undefined
        ? undefined
        : {
            file: cognito.clientSecretFile,
            validate: (value) =>
              clientSecretProblem(
                value,
                'COGNITO_CLIENT_SECRET_FILE',
                config.cognito.mode === 'remote' && config.cognito.nonAwsEndpoint,
              ),
            logger,
            onReload: (result) => metrics.clientSecretReloads.inc({ result }),
          },
    );
  const stopWatchingSecret = secretSource?.watch() ?? (() => {});
  const settings = {
    clientId: cognito.clientId,
    ...(secretSource && { clientSecret: secretSource }),
    sendUserContextIp: config.sendUserContextIp,
    analyticsEnabled: config.analyticsEnabled,
  };
  const links = new DestinationLinks(limiterStore.links, config.limits.usernameCaseSensitive);
  const { challenge } = config;
  const challengeSettings: ChallengeGateSettings =
    challenge.mode === 'off'
      ? challenge
      : {
          mode: challenge.mode,
          // Answered challenges are remembered where the limits are counted: in Redis, when it is set.
          verifier: new AltchaVerifier({
            hmacKey: challenge.hmacKey,
            cost: challenge.cost,
            replay: limiterStore.createLimiter(AltchaVerifier.replayRule),
          }),
        };
  const gate = new ChallengeGate(challengeSettings, (result) => metrics.challenges.inc({ result }));
  const verifier = challengeSettings.mode === 'off' ? undefined : challengeSettings.verifier;
  const issueChallenge = verifier?.issue?.bind(verifier);
  const calls = new UserPoolCalls(cognitoCaller, settings, buildLimiter, links, gate, {
    phonePolicy: config.phonePolicy,
    codeSent: (medium, country) => metrics.codesSent.inc({ medium, country }),
  });
  // Built at start-up, so that two calls' rules of one name with different budgets stop it at once.
  for (const { call } of USER_POOL_CALLS) calls.limiterOf(call);
  const schema = await buildGatewaySchema(
    instanceContainer([
      ...USER_POOL_CALLS.map(({ resolver: Resolver }) => new Resolver(calls)),
      new ServiceInfoResolver(challenge.mode),
    ]),
  );

  const httpServer = createServer({
    headersTimeout: config.http.headersTimeoutMs,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  });
  // A client that stops reading (pipelined requests, answers never read) stalls Node's parser, so no header
  // or request timer runs: a connection with no traffic either way for as long as a request may take is closed.
  httpServer.timeout = config.http.requestTimeoutMs;
  httpServer.maxConnections = config.http.maxConnections;
  if (config.trustProxy.kind === 'none' && config.http.maxConnectionsPerPeer > 0)
    limitConnectionsPerPeer(httpServer, config.http.maxConnectionsPerPeer);
  capturePeerAddresses(httpServer);
  const armor = operationLimits(config);
  const validationRules = [
    KnownOperationTypesRule,
    mutationFieldLimitRule(config.graphql.maxAliases + 1),
    ...armor.validationRules,
  ];
  const parseOptions = { maxTokens: config.graphql.maxTokens };
  const development = config.isProduction ? undefined : options.development;
  // Outside production full queries run anyway: the demo's documents only spare its requests the parsing.
  const trustedDocuments =
    config.trustedDocuments ??
    (development?.trustedDocuments && { documents: development.trustedDocuments, requireDocumentId: false });
  // Parsed and validated here, once: a stale manifest stops start-up, and requests for it skip both steps.
  const trustedDocumentNodes =
    trustedDocuments &&
    compileTrustedDocuments(trustedDocuments.documents, schema, {
      validationRules,
      parseOptions,
      introspection: config.introspection,
    });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    validationRules,
    parseOptions,
    ...(trustedDocumentNodes && { documentStore: trustedDocumentStore(trustedDocumentNodes) }),
    introspection: config.introspection,
    // No "Did you mean ...?" hints in production: with introspection off they would leak the schema.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and stops the gateway and the stand-in in order.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      // No field is cacheable (every call has a side effect), so the per-field cache hint work is wasted.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      config.isProduction
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      logUnexpectedErrors(logger),
      countRequests(metrics),
      ...armor.plugins,
    ],
  });
  await apollo.start();
  await limiterStore.ready();

  let stopping = false;
  const trust = compileTrust(config.trustProxy);
  const operations = operationsRoutes(metrics, {
    redisConfigured: limiterStore.kind === 'redis',
    redisReachable: () => limiterStore.healthy(),
    stopping: () => stopping,
  });
  // With OPS_PORT they are served there only: the public port answers them as any unknown path.
  const opsServer = config.ops && createOperationsServer(operations);
  let opsUrl: string | undefined;
  const routes = new Map<string, Handler>([...(opsServer ? [] : operations), ...(development?.routes ?? [])]);
  httpServer.on(
    'request',
    createHttpHandler({
      apollo,
      context: createContextFunction({ trust, logger, analyticsEnabled: config.analyticsEnabled }),
      trust,
      routes,
      ...(issueChallenge && {
        corsRoutes: challengeRoute(
          issueChallenge,
          () => metrics.challenges.inc({ result: 'issued' }),
          logger,
        ),
      }),
      onRequest: (phase) => (phase === 'start' ? metrics.inFlight.inc() : metrics.inFlight.dec()),
      ...(trustedDocuments && {
        persistedDocuments: {
          lookup: (id: string) => trustedDocuments.documents.get(id),
          requireDocumentId: trustedDocuments.requireDocumentId,
        },
      }),
      allowedOrigins: allowedOrigins(config),
      bodyLimitBytes: BODY_LIMIT_BYTES,
      isProduction: config.isProduction,
      logger,
    }),
  );

  return {
    httpServer,
    ...(opsServer && { opsServer }),
    get opsUrl() {
      return opsUrl;
    },
    listen: async (port, host) => {
      const url = `${await listenOn(httpServer, port, host)}${GRAPHQL_PATH}`;
      if (opsServer && config.ops) {
        try {
          opsUrl = await listenOn(opsServer, config.ops.port, config.ops.host);
        } catch (error) {
          httpServer.close();
          throw error;
        }
      }
      return url;
    },
    resetLimits: () => limiterStore.reset(),
    reloadClientSecret: () => secretSource?.reload('signal'),
    stop: async () => {
      stopping = true;
      stopWatchingSecret();
      // Load balancers poll /readyz (on OPS_PORT too, which stays open for it); keep serving until they have
      // seen it fail and stopped sending traffic.
      if (config.shutdownDrainDelayMs > 0) await setTimeout(config.shutdownDrainDelayMs);
      try {
        await apollo.stop();
      } finally {
        if (opsServer) await closeOperationsServer(opsServer);
      }
      cognitoCaller.shutdown();
      await limiterStore.close();
      if (!options.cognitoClient) client.destroy();
    },
  };
}

/** Listens and resolves with the server's base URL, e.g. http://127.0.0.1:4000 or http://[::1]:4000. */
function listenOn(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

/** Stops listening and closes idle connections; a probe or scrape still running gets a moment to finish. */
async function closeOperationsServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const cut = globalThis.setTimeout(() => server.closeAllConnections(), OPERATIONS_CLOSE_GRACE_MS);
  cut.unref();
  await closed;
  clearTimeout(cut);
}
