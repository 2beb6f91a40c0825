// How the stand-in describes a user in its answers, as Cognito does in AdminGetUser, GetUser and AdminCreateUser:
// the attribute list (the `sub` first) and the user record's common fields.
import { epochSeconds } from './clock';
import type { User } from './types';

/** `[{ Name: 'sub', Value }, ...every attribute]`. */
export function attributeList(user: User): Array<{ Name: string; Value: string }> {
  return [
    { Name: 'sub', Value: user.sub },
    ...[...user.attributes].map(([Name, Value]) => ({ Name, Value })),
  ];
}

/** The dates, `Enabled` and `UserStatus` of a user record. */
export function userRecordFields(user: User) {
  return {
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.lastModifiedAt),
    Enabled: true,
    UserStatus: user.status,
  };
}
