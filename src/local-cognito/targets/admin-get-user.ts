// AdminGetUser: lets tests and operators see a user's status and attributes, as AWS reports them.
import { userDoesNotExist, userPoolNotFound } from '../errors';
import { describeMfa } from '../mfa-settings';
import type { Services } from '../services';
import type { JsonObject, UserStatus } from '../types';
import { attributeList, userRecordFields } from '../user-description';
import { findUserByIdentifier } from '../username-resolution';
import { readStrings } from '../validation';

export interface AdminGetUserResponse {
  Username: string;
  UserAttributes: { Name: string; Value: string }[];
  UserCreateDate: number;
  UserLastModifiedDate: number;
  Enabled: boolean;
  UserStatus: UserStatus;
  PreferredMfaSetting?: string;
  UserMFASettingList?: string[];
}

export function adminGetUser(body: JsonObject, deps: Pick<Services, 'store'>): AdminGetUserResponse {
  const input = readStrings(body, ['UserPoolId', 'Username']);
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);
  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) throw userDoesNotExist();
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    ...userRecordFields(user),
    ...describeMfa(user),
  };
}
