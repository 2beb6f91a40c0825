// The gateway's core, whatever carries its requests: from the configuration it builds the Cognito client, the
// limiter store, the user-pool calls, the schema and Apollo Server with its validation rules, plugins, error
// masking and persisted documents. The node:http start-up (node-server/start-server.ts) and the Lambda's
// (lambda/lambda-handler.ts) each build it once and add only their transport. Apollo Server is returned
// unstarted: each transport starts it its own way.
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from './cognito/client';
import { ClientSecretSource } from './cognito/client-secret-source';
import { CognitoCaller } from './cognito/cognito-caller';
import { UserLookup } from './cognito/user-lookup';
import { type CognitoSettings, type Config, clientSecretProblem } from './config';
import { countRequests } from './graphql/count-requests';
import { formatError } from './graphql/format-error';
import { KnownOperationTypesRule } from './graphql/known-operation-types.rule';
import { logUnexpectedErrors } from './graphql/log-unexpected-errors';
import { mutationFieldLimitRule } from './graphql/mutation-field-limit.rule';
import { operationLimits } from './graphql/operation-limits';
import { compilePersistedDocuments, persistedDocumentStore } from './graphql/persisted-document-store';
import { buildGatewaySchema, instanceContainer } from './graphql/schema';
import { ServiceInfoResolver } from './graphql/service-info.resolver';
import { type ChallengeResponder, challengeResponder, challengeRoutes } from './http/challenge-route';
import { createContextFactory, type GatewayContext } from './http/context';
import { allowedOrigins } from './http/cors';
import type { PersistedDocuments } from './http/persisted-documents';
import { createRequestCore, type RequestCore } from './http/request-core';
import { AbuseLimiter } from './limits/abuse-limiter';
import { DestinationLinks } from './limits/destination-links';
import { ipKey } from './limits/limit-keys';
import {
  type LimiterStore,
  type MemoryEvent,
  memoryLimiterStore,
  redisLimiterStore,
} from './limits/limiter-store';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import type { SessionServices } from './session/request-session';
import { SessionCookie } from './session/session-cookie';
import { type SessionKeySource, sessionKeySource } from './session/session-key-source';
import { BudgetWatch } from './spend-guard/budget-watch';
import {
  ChallengeGate,
  type ChallengeGateSettings,
  challengeFailureBudget,
} from './spend-guard/challenge/challenge-gate';
import { CallRunner } from './user-pool-calls/call-runner';
import { ALL_USER_POOL_CALLS, USER_POOL_CALLS } from './user-pool-calls/registry';
import { type AnyUserPoolCall, limitRulesOf } from './user-pool-calls/user-pool-call';

/** The most a request body may hold, on every transport. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface GatewayCoreOptions {
  config: Config;
  cognito: CognitoSettings;
  logger: Logger;
  /** Injected by tests that want to observe the SDK; built from config otherwise. */
  cognitoClient?: CognitoIdentityProviderClient;
  /** Apollo plugins that one transport needs (the node:http server's drain), run after cache control's. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Documents by sha256 id (the demo page's), the persisted documents when TRUSTED_DOCUMENTS_FILE is not set;
   * ignored in production.
   */
  developmentDocuments?: ReadonlyMap<string, string>;
  /**
   * The landing page of GET /graphql for a browser outside production (src/dev's local explorer); without
   * it, Apollo's, which loads Apollo Sandbox from Apollo's CDN. Ignored in production, which has none.
   */
  developmentLandingPage?: ApolloServerPlugin<BaseContext>;
}

export interface GatewayCore {
  /** Not started yet. */
  apollo: ApolloServer<GatewayContext>;
  metrics: Metrics;
  limiterStore: LimiterStore;
  /** The client secret in use; its file is not watched here (the server watches it, Lambda reads it at init). */
  secretSource: ClientSecretSource | undefined;
  /** The session keys in use; their file is not watched here (the server watches it, as the secret's). */
  sessionKeys: SessionKeySource | undefined;
  /** GET /challenge's answer, while CHALLENGE_MODE is not off. */
  challenge: ChallengeResponder | undefined;
  /** The documents requests may name by id: the manifest's, or outside production the demo page's. */
  persistedDocuments: PersistedDocuments | undefined;
  /** The trusted-documents policy: only the manifest's documents run (production, unless allowed otherwise). */
  trustedDocumentsEnforced: boolean;
  /** The browser origins CORS lets through. */
  allowedOrigins: Set<string>;
  /**
   * The one request handler of every transport (http/request-core.ts) over these services: /graphql, GET
   * /challenge while on, the CORS origins, the body limit, the persisted documents and the trusted-documents
   * policy. Apollo must be started first.
   */
  requestCore(options: { redirectRoot: boolean }): RequestCore;
  /** Closes what the core holds open (upstream sockets, the limiter store); call it once Apollo has stopped. */
  close(): Promise<void>;
}

/** The look-up signs AdminGetUser: without credentials from the SDK's chain, the gateway does not start. */
async function requireCredentials(client: CognitoIdentityProviderClient): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    throw new Error(
      `COGNITO_LOOKUP_USERS is on, but the AWS SDK found no credentials for AdminGetUser (environment, shared config, container or instance role): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The session cookie's services over reloadable keys, when the configuration has session settings. */
function sessionServicesOf(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): { services: SessionServices; keys: SessionKeySource } | undefined {
  const settings = config.session;
  if (!settings) return undefined;
  const keys = sessionKeySource(settings, {
    logger,
    onReload: (result) => metrics.sessionKeyReloads.inc({ result }),
  });
  const current = () => keys.current();
  return {
    keys,
    services: {
      cookie: new SessionCookie(settings, current),
      keys: current,
      cookieName: settings.cookieName,
      refreshTokenValidityDays: settings.refreshTokenValidityDays,
      inPayload: settings.refreshTokenInPayload,
      now: Date.now,
    },
  };
}

export async function createGatewayCore(options: GatewayCoreOptions): Promise<GatewayCore> {
  const { config, cognito, logger } = options;
  const client = options.cognitoClient ?? createCognitoClient(cognito, config.upstream);
  const metrics = new Metrics();
  const cognitoCaller = new CognitoCaller(client, { maxInFlight: config.upstream.maxInFlight }, logger, {
    duration: (action, outcome, s) => metrics.cognitoDuration.observe({ action, outcome }, s),
    refused: (action, by) => metrics.cognitoRefused.inc({ action, by }),
    circuit: (action, open) => metrics.cognitoCircuitOpen.set({ action }, open ? 1 : 0),
  });
  const memory = {
    ...(config.limits.memoryMaxMb !== undefined && { maxBytes: config.limits.memoryMaxMb * 1024 * 1024 }),
    logger,
    onEvent: (event: MemoryEvent) => metrics.limitMemoryFull.inc({ event }),
  };
  const limiterStore = config.limits.redis
    ? redisLimiterStore(config.limits.redis, logger, memory)
    : memoryLimiterStore(memory);
  metrics.refreshLimitMemory = () => {
    const use = limiterStore.memoryUse();
    metrics.limitMemoryBytes.set({ part: 'counters' }, use.counterBytes);
    metrics.limitMemoryBytes.set({ part: 'links' }, use.linkBytes);
    metrics.limitMemoryBytes.set({ part: 'max' }, use.maxBytes);
  };
  const keys = {
    usernameCaseSensitive: config.limits.usernameCaseSensitive,
    ipv6PrefixBits: config.limits.ipv6PrefixBits,
  };
  const budgets = new BudgetWatch(metrics, logger);
  const buildLimiter = (call: AnyUserPoolCall) =>
    new AbuseLimiter(
      limitRulesOf(call, config.limits),
      limiterStore,
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
  const settings = {
    clientId: cognito.clientId,
    ...(secretSource && { clientSecret: secretSource }),
    sendUserContextIp: config.sendUserContextIp,
    analyticsEnabled: config.analyticsEnabled,
    signInFlow: config.signIn.flow,
    refreshFlow: config.signIn.refreshFlow,
  };
  const links = new DestinationLinks(limiterStore.links, {
    usernameCaseSensitive: config.limits.usernameCaseSensitive,
    retentionSeconds: config.limits.linkRetentionSeconds,
  });
  // Config requires the pool id with COGNITO_LOOKUP_USERS; local mode always has one.
  const lookup =
    config.pool.lookupUsers && cognito.userPoolId
      ? new UserLookup(cognitoCaller, cognito.userPoolId, config.pool)
      : undefined;
  // Said at start-up, once, rather than by every look-up that would fail and leave its user unknown.
  if (lookup) await requireCredentials(client);
  const { challenge } = config;
  const challengeSettings: ChallengeGateSettings =
    challenge.mode === 'off'
      ? challenge
      : {
          mode: challenge.mode,
          // Loaded only when the challenge is on: altcha-lib and the schema of the widget's answers.
          verifier: await import('./spend-guard/challenge/altcha-verifier').then(
            ({ AltchaVerifier }) =>
              new AltchaVerifier({
                hmacKey: challenge.hmacKey,
                cost: challenge.cost,
                // Answered challenges are remembered where the limits are counted: in Redis, when it is set.
                replay: limiterStore.createLimiter(AltchaVerifier.replayRule),
              }),
          ),
          // So are failed checks, per client IP as the abuse limits count it.
          failures: challengeFailureBudget(challenge.failuresIpPerHour, limiterStore.createLimiter, {
            keyOf: (ip) => ipKey(ip, keys.ipv6PrefixBits),
            onRefusal: (rule) => metrics.limiterRefusals.inc({ rule }),
          }),
        };
  const gate = new ChallengeGate(challengeSettings, (result) => metrics.challenges.inc({ result }));
  const verifier = challengeSettings.mode === 'off' ? undefined : challengeSettings.verifier;
  const issueChallenge = verifier?.issue?.bind(verifier);
  const calls = new CallRunner(
    cognitoCaller,
    settings,
    buildLimiter,
    links,
    gate,
    {
      phonePolicy: config.phonePolicy,
      codeSent: (medium, country) => metrics.codesSent.inc({ medium, country }),
    },
    {
      pool: config.pool,
      ...(lookup && { lookup }),
    },
  );
  // Built at start-up, so that two calls' rules of one name with different budgets stop it at once.
  for (const call of ALL_USER_POOL_CALLS) calls.limiterOf(call);
  const schema = await buildGatewaySchema(
    instanceContainer([
      ...USER_POOL_CALLS.map(({ resolver: Resolver }) => new Resolver(calls)),
      new ServiceInfoResolver(challenge.mode, config.signIn.flow),
    ]),
  );

  const armor = operationLimits(config);
  const validationRules = [
    KnownOperationTypesRule,
    mutationFieldLimitRule(config.graphql.maxAliases + 1),
    ...armor.validationRules,
  ];
  const parseOptions = { maxTokens: config.graphql.maxTokens };
  const developmentDocuments = config.isProduction ? undefined : options.developmentDocuments;
  // Outside production full queries run anyway: the demo's documents only spare its requests the parsing.
  const persistedSources = config.trustedDocuments?.documents ?? developmentDocuments;
  const trustedDocumentsEnforced = config.trustedDocuments?.enforced ?? false;
  // Parsed and validated here, once: a stale manifest stops start-up, and requests for it skip both steps.
  const persistedNodes =
    persistedSources &&
    compilePersistedDocuments(persistedSources, schema, {
      validationRules,
      parseOptions,
      introspection: config.introspection,
    });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    validationRules,
    parseOptions,
    ...(persistedNodes && { documentStore: persistedDocumentStore(persistedNodes) }),
    introspection: config.introspection,
    // No "Did you mean ...?" hints in production: with introspection off they would leak the schema.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // Signals belong to the process entry: main.ts stops the gateway and the stand-in in order on SIGTERM/SIGINT.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      // No field is cacheable (every call has a side effect), so the per-field cache hint work is wasted.
      ApolloServerPluginCacheControlDisabled(),
      // Neither is ever on (the schema is no federation subgraph; APOLLO_KEY is not the gateway's
      // configuration): disabled, Apollo neither calls the inline-trace plugin on every request to find it has
      // nothing to do, nor loads either of them or their protobuf schema at start-up.
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ...(options.plugins ?? []),
      config.isProduction
        ? // No landing page in production: Apollo's loads a script from its CDN, and nobody explores a
          // production gateway from a browser.
          ApolloServerPluginLandingPageDisabled()
        : (options.developmentLandingPage ?? ApolloServerPluginLandingPageLocalDefault({ footer: false })),
      logUnexpectedErrors(logger),
      countRequests(metrics),
      ...armor.plugins,
    ],
  });

  const challengeAnswer =
    issueChallenge &&
    challengeResponder(issueChallenge, () => metrics.challenges.inc({ result: 'issued' }), logger);
  const persistedDocuments = persistedSources && { lookup: (id: string) => persistedSources.get(id) };
  const origins = allowedOrigins(config);
  const session = sessionServicesOf(config, logger, metrics);
  return {
    apollo,
    metrics,
    limiterStore,
    secretSource,
    sessionKeys: session?.keys,
    challenge: challengeAnswer,
    persistedDocuments,
    trustedDocumentsEnforced,
    allowedOrigins: origins,
    requestCore: ({ redirectRoot }) =>
      createRequestCore({
        apollo,
        contextOf: createContextFactory({
          logger,
          analyticsEnabled: config.analyticsEnabled,
          session: session?.services,
        }),
        allowedOrigins: origins,
        // Only the configured origins' pages may send the session cookie (never Apollo Sandbox's).
        credentialedOrigins: new Set(config.corsOrigins),
        bodyLimitBytes: BODY_LIMIT_BYTES,
        logger,
        persistedDocuments,
        trustedDocumentsEnforced,
        ...(challengeAnswer && { corsRoutes: challengeRoutes(challengeAnswer) }),
        redirectRoot,
        production: config.isProduction,
      }),
    close: async () => {
      cognitoCaller.shutdown();
      await limiterStore.close();
      if (!options.cognitoClient) client.destroy();
    },
  };
}
