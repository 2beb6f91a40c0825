// The HTTP face of the stand-in: Cognito's JSON 1.1 endpoint at POST /, and a few /_local/ endpoints for
// developers (health, reading and clearing the outbox).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from './clock';
import { dispatch } from './dispatch';
import { CognitoError } from './errors';
import { newConfirmationCode } from './ids';
import { Outbox, type OutboxReader } from './outbox';
import { errorResponse, type WireResponse, writeResponse } from './protocol';
import { Store } from './store';
import { addUserPool } from './targets/create-user-pool';
import { addUserPoolClient } from './targets/create-user-pool-client';
import type { RecordedCall, Services, VerifiableAttribute } from './types';

export interface LocalCognitoOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  log?: (line: string) => void;
  generateCode?: () => string;
}

export interface CreateUserPoolOptions {
  name?: string;
  region?: string;
  autoVerifiedAttributes?: VerifiableAttribute[];
  usernameCaseSensitive?: boolean;
  preventUserExistenceErrors?: boolean;
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
  calls: RecordedCall[];
  createUserPool(opts?: CreateUserPoolOptions): { id: string };
  createUserPoolClient(
    poolId: string,
    opts?: CreateUserPoolClientOptions,
  ): { clientId: string; clientSecret?: string };
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

  const server = createServer((req, res) => {
    handle(req, res, services).catch((error: unknown) => {
      log(`[local-cognito] failed to handle ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) {
        writeResponse(
          res,
          randomUUID(),
          errorResponse(new CognitoError('InternalErrorException', 'Internal server error.')),
        );
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
    calls: services.calls,
    createUserPool: (opts = {}) => ({ id: addUserPool(services, opts).id }),
    createUserPoolClient: (poolId, opts = {}) => {
      const client = addUserPoolClient(services, poolId, opts);
      return {
        clientId: client.clientId,
        ...(client.clientSecret !== undefined && { clientSecret: client.clientSecret }),
      };
    },
    close: () => closeServer(server),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://local-cognito');
  const reply = (response: WireResponse) => writeResponse(res, requestId, response);

  if (url.pathname === '/' && req.method === 'POST') {
    const rawBody = await readBody(req);
    reply(await dispatch({ headers: req.headers, rawBody }, services));
    return;
  }
  // Drain any request body so the keep-alive connection stays usable for the next request.
  req.resume();

  if (url.pathname === '/_local/health' && req.method === 'GET') {
    reply(json(200, { status: 'ok' }));
  } else if (url.pathname === '/_local/outbox' && req.method === 'GET') {
    const username = url.searchParams.get('username');
    reply(json(200, services.outbox.list(username === null ? {} : { username })));
  } else if (url.pathname === '/_local/outbox' && req.method === 'DELETE') {
    services.outbox.clear();
    reply({ status: 204, headers: {}, body: '' });
  } else if (url.pathname === '/_local/outbox' || url.pathname === '/_local/health' || url.pathname === '/') {
    reply(json(405, { message: `Method ${req.method} not allowed on ${url.pathname}` }));
  } else {
    reply(json(404, { message: `Not found: ${url.pathname}` }));
  }
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
