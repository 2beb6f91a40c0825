// CreateUserPool, plus the helper the programmatic API shares with it so both seed pools the same way.
import { epochSeconds } from '../clock';
import { CognitoError } from '../errors';
import { newUserPoolId, USER_POOL_ID_PATTERN } from '../ids';
import type { Services } from '../services';
import type { JsonObject, RequestContext, UserPool, VerifiableAttribute } from '../types';
import {
  memberPath,
  readBoolean,
  readInteger,
  readObject,
  readStringList,
  readStrings,
  validationError,
} from '../validation';

export interface UserPoolSpec {
  name?: string;
  region?: string;
  id?: string;
  autoVerifiedAttributes?: readonly VerifiableAttribute[];
  usernameCaseSensitive?: boolean;
  preventUserExistenceErrors?: boolean;
  passwordMinimumLength?: number;
}

// A fixed, recognisable account id: ARNs must look real but nothing resolves them.
const LOCAL_ACCOUNT_ID = '000000000000';
const DEFAULT_REGION = 'us-east-1';

export function addUserPool(deps: Pick<Services, 'store' | 'clock'>, spec: UserPoolSpec): UserPool {
  if (spec.id !== undefined && !USER_POOL_ID_PATTERN.test(spec.id)) {
    throw new Error(
      `Invalid user pool id ${JSON.stringify(spec.id)}: expected <region>_<letters and digits>`,
    );
  }
  const region = spec.id?.slice(0, spec.id.lastIndexOf('_')) ?? spec.region ?? DEFAULT_REGION;
  const id = spec.id ?? newUserPoolId(region);
  const pool: UserPool = {
    id,
    name: spec.name ?? 'local-pool',
    region,
    arn: `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT_ID}:userpool/${id}`,
    autoVerifiedAttributes: [...(spec.autoVerifiedAttributes ?? ['email'])],
    usernameCaseSensitive: spec.usernameCaseSensitive ?? false,
    preventUserExistenceErrors: spec.preventUserExistenceErrors ?? false,
    passwordMinimumLength: spec.passwordMinimumLength ?? 8,
    createdAt: deps.clock.now(),
  };
  deps.store.addPool(pool);
  return pool;
}

const VERIFIABLE: readonly string[] = ['phone_number', 'email'];

function readAutoVerifiedAttributes(body: JsonObject): VerifiableAttribute[] {
  const values = readStringList(body, 'AutoVerifiedAttributes') ?? [];
  if (values.some((v) => !VERIFIABLE.includes(v))) {
    throw validationError([
      `Value '[${values.join(', ')}]' at '${memberPath('AutoVerifiedAttributes')}' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [${VERIFIABLE.join(', ')}]]`,
    ]);
  }
  return values as VerifiableAttribute[];
}

export function createUserPool(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
  context: RequestContext,
): { UserPool: JsonObject } {
  const { PoolName } = readStrings(body, ['PoolName']);
  // Over the wire, AWS's own API defaults apply (case-sensitive usernames, nothing auto-verified), so a test
  // seeding through the SDK gets exactly what the same call would get from AWS.
  const caseSensitive = readBoolean(readObject(body, 'UsernameConfiguration') ?? {}, 'CaseSensitive') ?? true;
  const passwordPolicy = readObject(readObject(body, 'Policies') ?? {}, 'PasswordPolicy') ?? {};
  const minimumLength = readInteger(passwordPolicy, 'MinimumLength');
  if (minimumLength !== undefined && (minimumLength < 6 || minimumLength > 99)) {
    throw new CognitoError(
      'InvalidParameterException',
      'Password policy minimum length must be between 6 and 99.',
    );
  }
  const pool = addUserPool(deps, {
    name: PoolName,
    region: context.region,
    autoVerifiedAttributes: readAutoVerifiedAttributes(body),
    usernameCaseSensitive: caseSensitive,
    ...(minimumLength !== undefined && { passwordMinimumLength: minimumLength }),
  });
  return { UserPool: describeUserPool(pool) };
}

export function describeUserPool(pool: UserPool): JsonObject {
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    Status: 'Enabled',
    CreationDate: epochSeconds(pool.createdAt),
    LastModifiedDate: epochSeconds(pool.createdAt),
    AutoVerifiedAttributes: [...pool.autoVerifiedAttributes],
    UsernameConfiguration: { CaseSensitive: pool.usernameCaseSensitive },
    Policies: { PasswordPolicy: { MinimumLength: pool.passwordMinimumLength } },
    EstimatedNumberOfUsers: 0,
  };
}
