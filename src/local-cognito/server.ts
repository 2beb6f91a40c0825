// The HTTP face of the stand-in: Cognito's JSON 1.1 endpoint at POST /, and a few /_local/ endpoints for
// developers and tests (health, reading and clearing the outbox, steering injected faults, resetting the
// limits of the gateway in front). Faults only ever apply at POST /, never to /_local/.
//
//   GET    /_local/health                 200 {"status":"ok"}
//   GET    /_local/outbox[?username=]     the codes "sent", oldest first; DELETE clears them
//   PUT    /_local/faults                 {"latencyMs":200,"throttleRate":0.1,...} (see faults.ts); GET reads
//                                        the settings and counts, DELETE stops them
//   DELETE /_local/faults/stats           zeroes the counts
//   POST   /_local/users                  {"userPoolId","username","password"?,"attributes"?,"status"?,"verified"?}
//                                        creates a user as if outside the gateway (seeding.ts); 201
//                                        {"username","sub"}, 400 {"message"[,"type"]}, 404 for an unknown pool
//   DELETE /_local/limits                 204 once the gateway in front has forgotten every abuse-limit
//                                        counter and destination link (500 {"message"} if it could not);
//                                        served only when given onResetLimits (the local start-up wires it)
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from './clock';
import { ACTIONS, dispatch } from './dispatch';
import { CognitoError, internalError } from './errors';
import {
  type FaultControls,
  FaultInjector,
  type FaultPolicy,
  type FaultSettings,
  FaultSettingsError,
} from './faults';
import { newConfirmationCode } from './ids';
import { Outbox, type OutboxReader } from './outbox';
import { DROP_CONNECTION, errorResponse, parseJson, type WireResponse, writeResponse } from './protocol';
import {
  parseSeedRequest,
  type SeededUser,
  SeedRequestError,
  type SeedUserOptions,
  seedUser,
} from './seeding';
import type { Services } from './services';
import { Store } from './store';
import { addUserPool } from './targets/create-user-pool';
import { addUserPoolClient } from './targets/create-user-pool-client';
import type { AccountRecovery, AliasAttribute, RecordedCall, VerifiableAttribute } from './types';

export interface LocalCognitoOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  log?: (line: string) => void;
  generateCode?: () => string;
  // Faults in force from the first call; invalid settings make startLocalCognito reject.
  faults?: FaultSettings;
  // Serves DELETE /_local/limits. The stand-in knows nothing of the gateway: whoever starts both passes
  // the gateway's resetLimits here (the gateway never imports the stand-in).
  onResetLimits?: () => Promise<void>;
}

export interface CreateUserPoolOptions {
  name?: string;
  region?: string;
  /** Default ['email']. */
  autoVerifiedAttributes?: VerifiableAttribute[];
  /** Default false (case-insensitive, as the Cognito console creates pools). */
  usernameCaseSensitive?: boolean;
  /**
   * Users sign up and in with an email and/or phone number instead of a username (Cognito's
   * UsernameAttributes); their real username is a generated `sub`. Default none. Not with aliasAttributes.
   */
  usernameAttributes?: VerifiableAttribute[];
  /**
   * Users may also be named by these once verified (email, phone_number) or confirmed (preferred_username):
   * Cognito's AliasAttributes. Default none. Not with usernameAttributes.
   */
  aliasAttributes?: AliasAttribute[];
  preventUserExistenceErrors?: boolean;
  /**
   * Where ForgotPassword sends a code among the user's verified email and phone number. Default 'email-first'
   * (the stand-in's default so far); 'legacy' is what Cognito does for a pool created without
   * AccountRecoverySetting (verified phone first), and what CreateUserPool over the wire gets without one.
   */
  accountRecovery?: AccountRecovery;
  id?: string;
}

export interface CreateUserPoolClientOptions {
  name?: string;
  generateSecret?: boolean;
  clientId?: string;
  clientSecret?: string;
}

export interface LocalCognito {
  url: string;
  outbox: OutboxReader;
  /** Answers that claimed a code was sent for a user who does not exist; never in the outbox. See outbox.ts. */
  readonly simulatedDeliveries: number;
  calls: RecordedCall[];
  faults: FaultControls;
  createUserPool(opts?: CreateUserPoolOptions): { id: string };
  createUserPoolClient(
    poolId: string,
    opts?: CreateUserPoolClientOptions,
  ): { clientId: string; clientSecret?: string };
  /**
   * Creates a user as if outside the gateway (see seeding.ts); sends no code. Throws a CognitoError where
   * Cognito would refuse the user (a taken username, email or phone number; a malformed email).
   */
  seedUser(poolId: string, user: SeedUserOptions): SeededUser;
  close(): Promise<void>;
}

// Well past Node's 5 s default: the SDK's agent keeps idle sockets for reuse, and a server that drops one just
// as the SDK reuses it shows up as a sporadic ECONNRESET. close() ends idle connections itself.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startLocalCognito(options: LocalCognitoOptions = {}): Promise<LocalCognito> {
  const log = options.log ?? (() => {});
  const services: Services = {
    store: new Store(),
    clock: options.clock ?? systemClock,
    outbox: new Outbox(log),
    generateCode: options.generateCode ?? newConfirmationCode,
    calls: [],
    log,
  };
  const faults = new FaultInjector({ actions: ACTIONS, log });
  if (options.faults) faults.set(options.faults);

  const server = createServer((req, res) => {
    handle(req, res, services, faults, options.onResetLimits).catch((error: unknown) => {
      log(`[local-cognito] failed to handle ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) {
        writeResponse(res, randomUUID(), errorResponse(internalError()));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    outbox: services.outbox,
    get simulatedDeliveries() {
      return services.outbox.simulatedDeliveries;
    },
    calls: services.calls,
    faults,
    createUserPool: (opts = {}) => ({ id: addUserPool(services, opts).id }),
    createUserPoolClient: (poolId, opts = {}) => {
      const client = addUserPoolClient(services, poolId, opts);
      return {
        clientId: client.clientId,
        ...(client.secrets?.[0] && { clientSecret: client.secrets[0].value }),
      };
    },
    seedUser: (poolId, user) => seedUser(services, poolId, user),
    close: () => closeServer(server),
  };
}

const FAULTS_PATH = '/_local/faults';
const FAULT_STATS_PATH = '/_local/faults/stats';
const LIMITS_PATH = '/_local/limits';
const USERS_PATH = '/_local/users';
const KNOWN_PATHS: ReadonlySet<string> = new Set([
  '/',
  '/_local/health',
  '/_local/outbox',
  USERS_PATH,
  FAULTS_PATH,
  FAULT_STATS_PATH,
]);

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  faults: FaultControls & FaultPolicy,
  onResetLimits: (() => Promise<void>) | undefined,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://local-cognito');
  const reply = (response: WireResponse) => writeResponse(res, requestId, response);

  if (url.pathname === '/' && req.method === 'POST') {
    const rawBody = await readBody(req);
    // 'close' also follows a normal answer; aborting then is harmless. Before one, it means the caller (or
    // close()) ended the connection while an injected delay was pending.
    const callerGone = new AbortController();
    res.once('close', () => callerGone.abort());
    const answer = await dispatch(
      { headers: req.headers, rawBody, signal: callerGone.signal },
      services,
      faults,
    );
    if (answer === DROP_CONNECTION) res.destroy();
    else reply(answer);
    return;
  }
  if (url.pathname === FAULTS_PATH && req.method === 'PUT') {
    reply(putFaults(await readBody(req), faults));
    return;
  }
  if (url.pathname === USERS_PATH && req.method === 'POST') {
    reply(postUser(await readBody(req), services));
    return;
  }
  // Drain any request body so the keep-alive connection stays usable for the next request.
  req.resume();
  const known =
    KNOWN_PATHS.has(url.pathname) || (url.pathname === LIMITS_PATH && onResetLimits !== undefined);

  if (url.pathname === '/_local/health' && req.method === 'GET') {
    reply(json(200, { status: 'ok' }));
  } else if (url.pathname === '/_local/outbox' && req.method === 'GET') {
    const username = url.searchParams.get('username');
    reply(json(200, services.outbox.list(username === null ? {} : { username })));
  } else if (url.pathname === '/_local/outbox' && req.method === 'DELETE') {
    services.outbox.clear();
    reply({ status: 204, headers: {}, body: '' });
  } else if (url.pathname === FAULTS_PATH && req.method === 'GET') {
    reply(json(200, faultsView(faults)));
  } else if (url.pathname === FAULTS_PATH && req.method === 'DELETE') {
    faults.clear();
    reply({ status: 204, headers: {}, body: '' });
  } else if (url.pathname === FAULT_STATS_PATH && req.method === 'DELETE') {
    faults.resetStats();
    reply({ status: 204, headers: {}, body: '' });
  } else if (url.pathname === LIMITS_PATH && onResetLimits && req.method === 'DELETE') {
    reply(await resetLimits(onResetLimits));
  } else if (known) {
    reply(json(405, { message: `Method ${req.method} not allowed on ${url.pathname}` }));
  } else {
    reply(json(404, { message: `Not found: ${url.pathname}` }));
  }
}

function putFaults(rawBody: string, faults: FaultControls): WireResponse {
  let settings: unknown;
  try {
    settings = JSON.parse(rawBody);
  } catch {
    return json(400, { message: 'Fault settings must be a JSON object such as {"throttleRate":0.2}.' });
  }
  try {
    // set() validates whatever it is given, so an unchecked JSON value is safe to hand over.
    faults.set(settings as FaultSettings);
  } catch (error) {
    if (error instanceof FaultSettingsError) return json(400, { message: error.message });
    throw error;
  }
  return json(200, faultsView(faults));
}

function postUser(rawBody: string, services: Services): WireResponse {
  let seeded: SeededUser;
  try {
    const { poolId, options } = parseSeedRequest(parseJson(rawBody));
    seeded = seedUser(services, poolId, options);
  } catch (error) {
    if (error instanceof SeedRequestError) {
      return json(error.status, { message: error.message });
    }
    if (error instanceof CognitoError) return json(400, { type: error.type, message: error.message });
    throw error;
  }
  return json(201, seeded);
}

async function resetLimits(onResetLimits: () => Promise<void>): Promise<WireResponse> {
  try {
    await onResetLimits();
  } catch (error) {
    return json(500, {
      message: `The limits were not reset: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return { status: 204, headers: {}, body: '' };
}

function faultsView(faults: FaultControls) {
  return { settings: faults.current(), stats: faults.stats() };
}

function json(status: number, body: unknown): WireResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
