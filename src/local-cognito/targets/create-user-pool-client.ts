// CreateUserPoolClient, plus the helper the programmatic API shares with it.
import {
  type ClientSignInSettings,
  checkAuthFlows,
  DEFAULT_ACCESS_TOKEN_VALIDITY,
  DEFAULT_AUTH_SESSION_VALIDITY_MINUTES,
  DEFAULT_ID_TOKEN_VALIDITY,
  DEFAULT_REFRESH_TOKEN_VALIDITY,
  describeClientSignInSettings,
  readClientSignInSettings,
  STAND_IN_DEFAULT_AUTH_FLOWS,
} from '../app-client-settings';
import { epochSeconds } from '../clock';
import { CognitoError, userPoolNotFound } from '../errors';
import { newClientId, newClientSecret, newSecretEntry } from '../ids';
import type { Services } from '../services';
import type { AppClient, JsonObject } from '../types';
import { readBoolean, readStrings } from '../validation';

export interface UserPoolClientSpec extends Partial<ClientSignInSettings> {
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
  if (spec.authFlows) checkAuthFlows(spec.authFlows);
  const clientSecret = spec.clientSecret ?? (spec.generateSecret ? newClientSecret() : undefined);
  const clientId = spec.clientId ?? newClientId();
  const createdAt = deps.clock.now();
  const client: AppClient = {
    clientId,
    poolId,
    name: spec.name ?? 'local-client',
    createdAt,
    authFlows: [...(spec.authFlows ?? STAND_IN_DEFAULT_AUTH_FLOWS)],
    ...(spec.refreshTokenRotation && { refreshTokenRotation: { ...spec.refreshTokenRotation } }),
    accessTokenValidity: spec.accessTokenValidity ?? DEFAULT_ACCESS_TOKEN_VALIDITY,
    idTokenValidity: spec.idTokenValidity ?? DEFAULT_ID_TOKEN_VALIDITY,
    refreshTokenValidity: spec.refreshTokenValidity ?? DEFAULT_REFRESH_TOKEN_VALIDITY,
    authSessionValidityMinutes: spec.authSessionValidityMinutes ?? DEFAULT_AUTH_SESSION_VALIDITY_MINUTES,
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
  const settings = readClientSignInSettings(body);
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);

  const client = addUserPoolClient(deps, pool.id, {
    ...settings,
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
      ...describeClientSignInSettings(client),
    },
  };
}
