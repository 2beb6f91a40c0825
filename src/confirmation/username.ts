// Cognito's username rule (UsernameType): 1-128 characters (UTF-16 code units) of letters, marks, symbols,
// numbers and punctuation. Checked before any call so that malformed names never reach Cognito.
import { Matches, ValidateBy } from 'class-validator';

export const USERNAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
export const USERNAME_MAX_LENGTH = 128;

export function IsCognitoUsername(): PropertyDecorator {
  const rules = [
    // AWS counts UTF-16 code units (an emoji is two), so a length check by code points would let through
    // names that Cognito then refuses.
    ValidateBy(
      {
        name: 'cognitoUsernameLength',
        validator: {
          validate: (value: unknown) =>
            typeof value === 'string' && value.length >= 1 && value.length <= USERNAME_MAX_LENGTH,
        },
      },
      { message: `username must be 1 to ${USERNAME_MAX_LENGTH} characters` },
    ),
    Matches(USERNAME_PATTERN, {
      message:
        'username may contain letters, marks, symbols, numbers and punctuation, but no spaces or control characters',
    }),
  ];
  return (target, property) => {
    for (const rule of rules) rule(target, property as string);
  };
}
