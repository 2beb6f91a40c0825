// CreateUserPool, plus the helper the programmatic API shares with it so both seed pools the same way.
import { epochSeconds } from '../clock';
import { CognitoError } from '../errors';
import { newUserPoolId, USER_POOL_ID_PATTERN } from '../ids';
import type { Services } from '../services';
import type {
  AccountRecovery,
  AliasAttribute,
  JsonObject,
  RequestContext,
  UserPool,
  VerifiableAttribute,
} from '../types';
import {
  memberPath,
  mustNotBeNull,
  readBoolean,
  readInteger,
  readObject,
  readObjectList,
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
  usernameAttributes?: readonly VerifiableAttribute[];
  aliasAttributes?: readonly AliasAttribute[];
  preventUserExistenceErrors?: boolean;
  passwordMinimumLength?: number;
  accountRecovery?: AccountRecovery;
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
  if (spec.usernameAttributes?.length && spec.aliasAttributes?.length) {
    throw new Error('A user pool takes usernameAttributes or aliasAttributes, not both');
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
    usernameAttributes: [...new Set(spec.usernameAttributes ?? [])],
    aliasAttributes: [...new Set(spec.aliasAttributes ?? [])],
    preventUserExistenceErrors: spec.preventUserExistenceErrors ?? false,
    passwordMinimumLength: spec.passwordMinimumLength ?? 8,
    // The stand-in's long-standing programmatic default. Over the wire the API's own default applies instead
    // ('legacy', see readAccountRecovery).
    accountRecovery: spec.accountRecovery ?? 'email-first',
    createdAt: deps.clock.now(),
  };
  deps.store.addPool(pool);
  return pool;
}

const VERIFIABLE: readonly string[] = ['phone_number', 'email'];
const ALIASES: readonly string[] = ['phone_number', 'email', 'preferred_username'];

// A list of enum values, refused whole as AWS's model validation refuses it.
function readEnumList<T extends string>(body: JsonObject, field: string, allowed: readonly string[]): T[] {
  const values = readStringList(body, field) ?? [];
  if (values.some((v) => !allowed.includes(v))) {
    throw validationError([
      `Value '[${values.join(', ')}]' at '${memberPath(field)}' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`,
    ]);
  }
  return values as T[];
}

function readSignInAttributes(body: JsonObject): {
  usernameAttributes: VerifiableAttribute[];
  aliasAttributes: AliasAttribute[];
} {
  const usernameAttributes = readEnumList<VerifiableAttribute>(body, 'UsernameAttributes', VERIFIABLE);
  const aliasAttributes = readEnumList<AliasAttribute>(body, 'AliasAttributes', ALIASES);
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0) {
    throw new CognitoError(
      'InvalidParameterException',
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
  }
  return { usernameAttributes, aliasAttributes };
}

const RECOVERY_MECHANISMS: readonly string[] = ['verified_email', 'verified_phone_number', 'admin_only'];

// AccountRecoverySetting.RecoveryMechanisms: one or two of { Name, Priority }, priority 1 first. Absent means
// Cognito's legacy recovery.
function readAccountRecovery(body: JsonObject): AccountRecovery {
  const setting = readObject(body, 'AccountRecoverySetting');
  const listed = setting && readObjectList(setting, 'RecoveryMechanisms');
  if (listed === undefined) return 'legacy';
  const mechanisms = listed.map((entry, index) => {
    const { Name } = readStrings(entry, ['Name']);
    const priority = readInteger(entry, 'Priority');
    const path = `accountRecoverySetting.recoveryMechanisms.${index + 1}.member`;
    if (!RECOVERY_MECHANISMS.includes(Name)) {
      throw validationError([
        `Value '${Name}' at '${path}.name' failed to satisfy constraint: Member must satisfy enum value set: [${RECOVERY_MECHANISMS.join(', ')}]`,
      ]);
    }
    if (priority === undefined) throw validationError([mustNotBeNull(`${path}.priority`)]);
    if (priority < 1 || priority > 2) {
      const bound = priority < 1 ? 'greater than or equal to 1' : 'less than or equal to 2';
      throw validationError([
        `Value '${priority}' at '${path}.priority' failed to satisfy constraint: Member must have value ${bound}`,
      ]);
    }
    return { Name, priority };
  });
  if (mechanisms.length < 1 || mechanisms.length > 2) {
    const bound = mechanisms.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2';
    throw validationError([
      `Value at 'accountRecoverySetting.recoveryMechanisms' failed to satisfy constraint: Member must have length ${bound}`,
    ]);
  }
  const names = mechanisms.sort((a, b) => a.priority - b.priority).map((m) => m.Name);
  if (names.includes('admin_only')) {
    throw new CognitoError(
      'InvalidParameterException',
      'The local Cognito stand-in does not model admin_only account recovery.',
    );
  }
  if (names[0] === 'verified_email') return names.length === 2 ? 'email-first' : 'email-only';
  return names.length === 2 ? 'phone-first' : 'phone-only';
}

const RECOVERY_SETTING: Readonly<Record<Exclude<AccountRecovery, 'legacy'>, JsonObject>> = {
  'email-first': {
    RecoveryMechanisms: [mechanism('verified_email', 1), mechanism('verified_phone_number', 2)],
  },
  'phone-first': {
    RecoveryMechanisms: [mechanism('verified_phone_number', 1), mechanism('verified_email', 2)],
  },
  'email-only': { RecoveryMechanisms: [mechanism('verified_email', 1)] },
  'phone-only': { RecoveryMechanisms: [mechanism('verified_phone_number', 1)] },
};

function mechanism(Name: string, Priority: number): JsonObject {
  return { Name, Priority };
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
    autoVerifiedAttributes: readEnumList<VerifiableAttribute>(body, 'AutoVerifiedAttributes', VERIFIABLE),
    ...readSignInAttributes(body),
    usernameCaseSensitive: caseSensitive,
    accountRecovery: readAccountRecovery(body),
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
    ...(pool.usernameAttributes.length > 0 && { UsernameAttributes: [...pool.usernameAttributes] }),
    ...(pool.aliasAttributes.length > 0 && { AliasAttributes: [...pool.aliasAttributes] }),
    Policies: { PasswordPolicy: { MinimumLength: pool.passwordMinimumLength } },
    ...(pool.accountRecovery !== 'legacy' && {
      AccountRecoverySetting: RECOVERY_SETTING[pool.accountRecovery],
    }),
    EstimatedNumberOfUsers: 0,
  };
}
