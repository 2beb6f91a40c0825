// The claims of an ID token that Cognito has just issued to the gateway over TLS, read without verifying its
// signature (it never passed through anyone else's hands): who signed in, for the refresh cookie's SECRET_HASH
// and for linking the user's identifiers to where their codes go. Never use this on a token a client sent.

/** What the gateway uses of an ID token: the pool's username, the sub, and the verified destinations. */
export interface IdTokenClaims {
  /** `cognito:username`: the name the pool knows the user by (the sub in pools that sign in by email). */
  username: string;
  sub: string;
  email?: string;
  emailVerified: boolean;
  phoneNumber?: string;
  phoneNumberVerified: boolean;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Cognito writes `email_verified` as a boolean in tokens, and as "true" in attributes: both are read. */
function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The claims, or undefined when the token is not a JWT with a username and a sub. */
export function readIdTokenClaims(idToken: string | undefined): IdTokenClaims | undefined {
  const body = idToken?.split('.')[1];
  if (body === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const c = claims as Record<string, unknown>;
  const sub = text(c.sub);
  const username = text(c['cognito:username']) ?? sub;
  if (sub === undefined || username === undefined) return undefined;
  const email = text(c.email);
  const phoneNumber = text(c.phone_number);
  return {
    username,
    sub,
    ...(email && { email }),
    emailVerified: flag(c.email_verified),
    ...(phoneNumber && { phoneNumber }),
    phoneNumberVerified: flag(c.phone_number_verified),
  };
}
