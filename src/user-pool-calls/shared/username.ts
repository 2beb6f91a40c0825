// Cognito's username rule (UsernameType): 1-128 characters (UTF-16 code units) of letters, marks, symbols,
// numbers and punctuation. Checked before any call so that malformed names never reach Cognito.
import { Matches } from 'class-validator';
import { LengthInUnits } from './length';

export const USERNAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
export const USERNAME_MAX_LENGTH = 128;

export function IsCognitoUsername(): PropertyDecorator {
  const rules = [
    LengthInUnits(1, USERNAME_MAX_LENGTH, {
      message: `username must be 1 to ${USERNAME_MAX_LENGTH} characters`,
    }),
    Matches(USERNAME_PATTERN, {
      message:
        'username may contain letters, marks, symbols, numbers and punctuation, but no spaces or control characters',
    }),
  ];
  return (target, property) => {
    for (const rule of rules) rule(target, property as string);
  };
}
