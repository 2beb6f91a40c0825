// CreateUserPoolClient, plus the helper the programmatic API shares with it.
import { epochSeconds } from '../clock';
import { CognitoError, userPoolNotFound } from '../errors';
import { newClientId, newClientSecret, newSecretEntry } from '../ids';
import type { Services } from '../services';
import type { AppClient, JsonObject } from '../types';
import { readBoolean, readStrings } from '../validation';

export interface UserPoolClientSpec {
  name?: string;
  generateSecret?: boolean;
  clientId?: string;
  clientSecret?: string;
  preventUserExistenceErrors?: boolean;
}

export function addUserPoolClient(
  deps: Pick<Services, 'store' | 'clock'>,
  poolId: string,
  spec: UserPoolClientSpec,
): AppClient {
  if (!deps.store.getPool(poolId)) throw new Error(`User pool ${poolId} does not exist`);
  if (spec.clientId !== undefined && !/^[\w+]{1,128}$/.test(spec.clientId)) {
    throw new Error(`Invalid client id ${JSON.stringify(spec.clientId)}`);
  }
  const clientSecret = spec.clientSecret ?? (spec.generateSecret ? newClientSecret() : undefined);
  const clientId = spec.clientId ?? newClientId();
  const createdAt = deps.clock.now();
  const client: AppClient = {
    clientId,
    poolId,
    name: spec.name ?? 'local-client',
    createdAt,
    ...(clientSecret !== undefined && { secrets: [newSecretEntry(clientId, clientSecret, createdAt)] }),
    ...(spec.preventUserExistenceErrors !== undefined && {
      preventUserExistenceErrors: spec.preventUserExistenceErrors,
    }),
  };
  deps.store.addClient(client);
  return client;
}

export function createUserPoolClient(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): { UserPoolClient: JsonObject } {
  const input = readStrings(body, ['UserPoolId', 'ClientName'], ['PreventUserExistenceErrors']);
  const generateSecret = readBoolean(body, 'GenerateSecret') ?? false;
  const prevent = input.PreventUserExistenceErrors;
  if (prevent !== undefined && prevent !== 'ENABLED' && prevent !== 'LEGACY') {
    throw new CognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${prevent}' at 'preventUserExistenceErrors' failed to satisfy ` +
        'constraint: Member must satisfy enum value set: [LEGACY, ENABLED]',
    );
  }
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);

  const client = addUserPoolClient(deps, pool.id, {
    name: input.ClientName,
    generateSecret,
    // Absent means LEGACY in AWS; here it means "inherit the pool's default", which is LEGACY unless a
    // test asked the pool for otherwise.
    ...(prevent !== undefined && { preventUserExistenceErrors: prevent === 'ENABLED' }),
  });
  const prevents = client.preventUserExistenceErrors ?? pool.preventUserExistenceErrors;
  return {
    UserPoolClient: {
      ClientId: client.clientId,
      ...(client.secrets?.[0] && { ClientSecret: client.secrets[0].value }),
      UserPoolId: client.poolId,
      ClientName: client.name,
      CreationDate: epochSeconds(client.createdAt),
      LastModifiedDate: epochSeconds(client.createdAt),
      PreventUserExistenceErrors: prevents ? 'ENABLED' : 'LEGACY',
    },
  };
}
