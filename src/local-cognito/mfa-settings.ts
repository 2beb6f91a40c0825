// A user's MFA settings: which factors are on and which is preferred (AdminSetUserMFAPreference, seeding), how
// AdminGetUser reports them, and which challenge follows a correct password.
//
// The stand-in's pool is always as Cognito's MfaConfiguration OPTIONAL: a user with a factor on must pass it, a
// user without signs in with the first factor alone. A factor needs somewhere to go: SMS a phone number, email
// an email address, TOTP a registered authenticator secret.
import { CognitoError } from './errors';
import type { MfaType, User } from './types';

export const MFA_TYPES: readonly MfaType[] = ['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA'];

export interface MfaChange {
  type: MfaType;
  enabled?: boolean;
  preferred?: boolean;
}

// Cognito's words when a factor has nowhere to go.
const MISSING_DELIVERY: Readonly<Record<MfaType, string>> = {
  SMS_MFA: 'User does not have delivery config set to turn on SMS_MFA',
  EMAIL_OTP: 'User does not have delivery config set to turn on EMAIL_OTP',
  SOFTWARE_TOKEN_MFA: 'User has not verified software token mfa',
};

function canDeliver(user: User, type: MfaType): boolean {
  if (type === 'SMS_MFA') return Boolean(user.attributes.get('phone_number'));
  if (type === 'EMAIL_OTP') return Boolean(user.attributes.get('email'));
  return user.totpSecret !== undefined;
}

/** Applies the changes all or nothing; `enabled` left out keeps a factor as it was. */
export function applyMfaChanges(user: User, changes: readonly MfaChange[]): void {
  const enabled = new Set(user.mfa.enabled);
  let preferred = user.mfa.preferred;
  const preferring = changes.filter((change) => change.preferred === true);
  if (preferring.length > 1) {
    throw new CognitoError('InvalidParameterException', 'Only one MFA type can be preferred.');
  }
  for (const change of changes) {
    if (change.enabled === true) {
      if (!canDeliver(user, change.type)) {
        throw new CognitoError('InvalidParameterException', MISSING_DELIVERY[change.type]);
      }
      enabled.add(change.type);
    } else if (change.enabled === false) {
      enabled.delete(change.type);
      if (preferred === change.type) preferred = undefined;
    }
    if (change.preferred === false && preferred === change.type) preferred = undefined;
  }
  const wanted = preferring[0]?.type;
  if (wanted !== undefined) {
    if (!enabled.has(wanted)) {
      throw new CognitoError('InvalidParameterException', `${wanted} must be enabled to be preferred.`);
    }
    preferred = wanted;
  }
  user.mfa = { enabled: MFA_TYPES.filter((type) => enabled.has(type)), ...(preferred && { preferred }) };
}

/** AdminGetUser's (and GetUser's) view: present only when the user has MFA on. */
export function describeMfa(user: User): { PreferredMfaSetting?: string; UserMFASettingList?: string[] } {
  return {
    ...(user.mfa.preferred && { PreferredMfaSetting: user.mfa.preferred }),
    ...(user.mfa.enabled.length > 0 && { UserMFASettingList: [...user.mfa.enabled] }),
  };
}

/**
 * What follows a correct password: nothing (no factor on), the preferred factor, the only factor, or a choice
 * among several (SELECT_MFA_TYPE), as Cognito decides it.
 */
export function nextMfaStep(user: User): { type: MfaType } | { choose: MfaType[] } | undefined {
  const usable = user.mfa.enabled.filter((type) => canDeliver(user, type));
  if (usable.length === 0) return undefined;
  if (user.mfa.preferred && usable.includes(user.mfa.preferred)) return { type: user.mfa.preferred };
  const [only] = usable;
  if (usable.length === 1 && only) return { type: only };
  return { choose: usable };
}
