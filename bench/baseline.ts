// The lower bound for any Node gateway: a bare node:http handler that parses the JSON body, computes the
// SecretHash and calls Cognito through the same shared SDK client, built with the same settings as the
// gateway's. No GraphQL, validation, limits or logging. Runs as its own process and prints `listening <port>`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../src/cognito/client';
import { computeSecretHash } from '../src/cognito/secret-hash';
import { loadConfig } from '../src/config';
import { bareAnswer } from './bare-answer';

// The baseline reads no call's limits: it serves no call.
const config = loadConfig(process.env, []);
if (config.cognito.mode !== 'remote') throw new Error('baseline needs COGNITO_* settings');
const { clientId, clientSecret } = config.cognito;
const client = createCognitoClient(config.cognito, config.upstream);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        variables: { input: { username: string } };
      };
      const username = body.variables.input.username;
      const output = await client.send(
        new ResendConfirmationCodeCommand({
          ClientId: clientId,
          Username: username,
          ...(clientSecret && { SecretHash: computeSecretHash(username, clientId, clientSecret.hmacKey()) }),
        }),
      );
      const json = bareAnswer(output.CodeDeliveryDetails);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    } catch {
      res.writeHead(500).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(
    JSON.stringify({
      msg: 'gateway listening',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    }),
  );
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
