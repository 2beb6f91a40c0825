// The floor for the Lambda handler's init: a bare handler that makes the same Cognito call the benchmark's
// request makes (ResendConfirmationCode with a SecretHash) through the AWS SDK, reading the same COGNITO_*
// variables itself, with no GraphQL, validation, limits, configuration schema or logging. Bundled like the
// gateway's handler (scripts/package-lambda.js), so that the two inits compare like for like.
import {
  CognitoIdentityProviderClient,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../src/cognito/secret-hash';
import { bareAnswer } from './bare-answer';

const clientId = process.env.COGNITO_CLIENT_ID ?? '';
const clientSecret = process.env.COGNITO_CLIENT_SECRET ?? '';
const client = new CognitoIdentityProviderClient({
  region: process.env.COGNITO_REGION ?? 'us-east-1',
  ...(process.env.COGNITO_ENDPOINT && { endpoint: process.env.COGNITO_ENDPOINT }),
});

export async function handler(event: { body?: string }): Promise<{ statusCode: number; body: string }> {
  const { variables } = JSON.parse(event.body ?? '{}') as { variables: { input: { username: string } } };
  const username = variables.input.username;
  const output = await client.send(
    new ResendConfirmationCodeCommand({
      ClientId: clientId,
      Username: username,
      SecretHash: computeSecretHash(username, clientId, clientSecret),
    }),
  );
  return { statusCode: 200, body: bareAnswer(output.CodeDeliveryDetails) };
}
