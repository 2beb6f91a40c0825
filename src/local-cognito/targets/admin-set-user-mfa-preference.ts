// AdminSetUserMFAPreference: an administrator turns a user's MFA factors on or off and picks the preferred one
// (mfa-settings.ts has the rules). A factor needs somewhere to go: SMS a phone number, email an email address,
// TOTP an authenticator secret (the stand-in's users get one only by seeding: no AssociateSoftwareToken here).
import { userDoesNotExist, userPoolNotFound } from '../errors';
import { applyMfaChanges, type MfaChange } from '../mfa-settings';
import type { Services } from '../services';
import type { JsonObject, MfaType } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readBoolean, readObject, readStrings } from '../validation';

const SETTINGS_FIELD: Readonly<Record<string, MfaType>> = {
  SMSMfaSettings: 'SMS_MFA',
  EmailMfaSettings: 'EMAIL_OTP',
  SoftwareTokenMfaSettings: 'SOFTWARE_TOKEN_MFA',
};

export function adminSetUserMfaPreference(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): Record<string, never> {
  const input = readStrings(body, ['UserPoolId', 'Username']);
  const changes: MfaChange[] = [];
  for (const [field, type] of Object.entries(SETTINGS_FIELD)) {
    const settings = readObject(body, field);
    if (!settings) continue;
    const enabled = readBoolean(settings, 'Enabled');
    const preferred = readBoolean(settings, 'PreferredMfa');
    changes.push({
      type,
      ...(enabled !== undefined && { enabled }),
      ...(preferred !== undefined && { preferred }),
    });
  }
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);
  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) throw userDoesNotExist();
  applyMfaChanges(user, changes);
  user.lastModifiedAt = deps.clock.now();
  return {};
}
