// Development only: starts the embedded Cognito stand-in with a demo pool, an app client with a secret and
// an unconfirmed user, so that `npm start` works without an AWS account, and serves the gateway's limit reset
// at the stand-in's DELETE /_local/limits. It listens on LOCAL_COGNITO_PORT (a fixed default, so that the
// outbox URL stays put); a port in use stops start-up with one line saying what to set. Imported only by main.ts.
import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../cognito/secret-hash';
import type { CognitoSettings } from '../config';
import { type LocalCognito, startLocalCognito } from '../local-cognito';
import { Secret } from '../secret';

export const DEMO_REGION = 'us-east-1';
export const DEMO_USERNAME = 'demo@example.com';

/** The start-up line when the stand-in's port is in use: what to set, and the trade-off of 0. */
export function portTakenMessage(port: number): string {
  return (
    `the local Cognito stand-in cannot listen on port ${port}: it is in use (another npm start?). ` +
    'Set LOCAL_COGNITO_PORT to a free port, or to 0 for any free port (its outbox URL then changes at every start)'
  );
}

function portTaken(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

export interface LocalDemo {
  cognito: CognitoSettings;
  standIn: LocalCognito;
  /** The user seeded unconfirmed, for the banner's example commands. */
  username: string;
}

export async function startLocalDemo(
  port: number,
  print: (line: string) => void,
  resetLimits: () => Promise<void>,
): Promise<LocalDemo> {
  const standIn = await startLocalCognito({ port, log: print, onResetLimits: resetLimits }).catch(
    (error: unknown) => {
      throw portTaken(error) ? new Error(portTakenMessage(port)) : error;
    },
  );
  // Both, so that a phone-only sign-up gets a code too. As in Cognito, a user who gives both is sent the
  // sign-up code by SMS; either way it lands in the same outbox.
  const pool = standIn.createUserPool({
    name: 'local-demo',
    region: DEMO_REGION,
    autoVerifiedAttributes: ['email', 'phone_number'],
  });
  const client = standIn.createUserPoolClient(pool.id, { name: 'local-demo-gateway', generateSecret: true });
  if (!client.clientSecret) throw new Error('the local stand-in created a client without a secret');

  // Seed through the real SDK, as a frontend's first sign-up would arrive.
  const sdk = new CognitoIdentityProviderClient({ region: DEMO_REGION, endpoint: standIn.url });
  try {
    await sdk.send(
      new SignUpCommand({
        ClientId: client.clientId,
        SecretHash: computeSecretHash(DEMO_USERNAME, client.clientId, client.clientSecret),
        Username: DEMO_USERNAME,
        Password: randomBytes(12).toString('base64url'),
        UserAttributes: [{ Name: 'email', Value: DEMO_USERNAME }],
      }),
    );
  } finally {
    sdk.destroy();
  }
  return {
    standIn,
    username: DEMO_USERNAME,
    cognito: {
      region: DEMO_REGION,
      userPoolId: pool.id,
      clientId: client.clientId,
      clientSecret: new Secret(client.clientSecret),
      endpoint: standIn.url,
    },
  };
}
