// The node:http start-up: builds the gateway's core (../gateway-core.ts: Cognito client, limits, schema, Apollo
// Server) and serves its request core (../http/request-core.ts) through the node:http adapter on the public
// listener, with the ops endpoints on it or on the ops port; and stops them in order. src/main.ts, the process
// entry, calls it; the Lambda's start-up is src/lambda/lambda-handler.ts. It never knows whether Cognito is
// real or the local stand-in.
import type { Server } from 'node:http';
import { setTimeout } from 'node:timers/promises';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { ReloadResult } from '../cognito/client-secret-source';
import { createGatewayCore, type GatewayCoreOptions } from '../gateway-core';
import { GRAPHQL_PATH } from '../http/request-core';
import { createHttpHandler, type Handler } from './http-adapter';
import { opsRoutes } from './ops-routes';
import { createOpsServer } from './ops-server';
import { compileTrust } from './peer-address';
import { createPublicServer, listenOn } from './public-server';

/** How long a request on the ops port may still run once the gateway has stopped, before it is cut. */
const OPS_CLOSE_GRACE_MS = 500;

export interface GatewayOptions
  extends Omit<GatewayCoreOptions, 'plugins' | 'developmentDocuments' | 'developmentLandingPage'> {
  /** What the demo page adds outside production (src/dev builds it); ignored in production. */
  development?: DevelopmentAdditions;
}

export interface DevelopmentAdditions {
  /** Extra GET routes (the demo page and its files). */
  routes: ReadonlyMap<string, Handler>;
  /** Documents by sha256 id, the persisted documents when TRUSTED_DOCUMENTS_FILE is not set. */
  persistedDocuments?: ReadonlyMap<string, string>;
  /** The landing page of GET /graphql for a browser (the local explorer), instead of Apollo's. */
  landingPage?: ApolloServerPlugin<BaseContext>;
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
  /** Re-reads SESSION_KEYS_FILE now (main.ts calls it on SIGHUP too); undefined when the keys are not from a file. */
  reloadSessionKeys(): ReloadResult | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), then closes upstream sockets. */
  stop(): Promise<void>;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { development: given, ...coreOptions } = options;
  const { config } = coreOptions;
  const development = config.isProduction ? undefined : given;
  const httpServer = createPublicServer(config);
  const services = await createGatewayCore({
    ...coreOptions,
    ...(development?.persistedDocuments && { developmentDocuments: development.persistedDocuments }),
    ...(development?.landingPage && { developmentLandingPage: development.landingPage }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
    ],
  });
  const { apollo, metrics, limiterStore, secretSource } = services;
  const stopWatchingSecret = secretSource?.watch() ?? (() => {});
  const stopWatchingSessionKeys = services.sessionKeys?.watch() ?? (() => {});
  await apollo.start();
  await limiterStore.ready();

  let stopping = false;
  const trust = compileTrust(config.trustProxy);
  const ops = opsRoutes(metrics, {
    redisConfigured: limiterStore.kind === 'redis',
    redisReachable: () => limiterStore.healthy(),
    stopping: () => stopping,
  });
  // With OPS_PORT they are served there only: the public port answers them as any unknown path.
  const opsServer = config.ops && createOpsServer(ops);
  let opsUrl: string | undefined;
  const routes = new Map<string, Handler>([...(opsServer ? [] : ops), ...(development?.routes ?? [])]);
  // Outside production, GET / sends a browser on to /graphql (the landing page there).
  const core = services.requestCore({ redirectRoot: !config.isProduction });
  httpServer.on(
    'request',
    createHttpHandler({
      core,
      trust,
      routes,
      onRequest: (phase) => (phase === 'start' ? metrics.inFlight.inc() : metrics.inFlight.dec()),
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
    reloadSessionKeys: () => services.sessionKeys?.reload('signal'),
    stop: async () => {
      stopping = true;
      stopWatchingSecret();
      stopWatchingSessionKeys();
      // Load balancers poll /readyz (on OPS_PORT too, which stays open for it); keep serving until they have
      // seen it fail and stopped sending traffic.
      if (config.shutdownDrainDelayMs > 0) await setTimeout(config.shutdownDrainDelayMs);
      try {
        await apollo.stop();
      } finally {
        if (opsServer) await closeOpsServer(opsServer);
      }
      await services.close();
    },
  };
}

/** Stops listening and closes idle connections; a probe or scrape still running gets a moment to finish. */
async function closeOpsServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const cut = globalThis.setTimeout(() => server.closeAllConnections(), OPS_CLOSE_GRACE_MS);
  cut.unref();
  await closed;
  clearTimeout(cut);
}
