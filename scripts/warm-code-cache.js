// Run by scripts/package-lambda.js in a child process, with the V8 flags of the cache it makes:
//   node [--expose-gc] scripts/warm-code-cache.js <loader> <request: true|false>
// Loads a Lambda package through its loader and, with a request, answers one resendConfirmationCode as
// Lambda's first invocation would, against a Cognito of its own on loopback that answers every call with a code
// sent by email; then has the loader write V8's code for the bundle, every function compiled so far included, to
// the cache file of these flags. Nothing leaves the machine.
const { createServer } = require('node:http');
const { join } = require('node:path');

const [loader = '', request = 'true'] = process.argv.slice(2);

const COGNITO_ANSWER = JSON.stringify({
  CodeDeliveryDetails: { Destination: 'p***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
});

/** What a client sends: the documents module of the build this packages. */
function resendEvent() {
  const { oneLine, RESEND_CONFIRMATION_CODE } = require(
    join(__dirname, '..', 'dist', 'src', 'user-pool-calls', 'documents.js'),
  );
  return {
    version: '2.0',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1' },
    },
    body: JSON.stringify({
      query: oneLine(RESEND_CONFIRMATION_CODE),
      variables: { input: { username: 'packaging@example.com' } },
    }),
  };
}

/** A Cognito on loopback that answers every call with a code sent by email. */
async function startCognito() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(COGNITO_ANSWER);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function main() {
  const cognito = request === 'true' ? await startCognito() : undefined;
  try {
    // The handler reads its environment while it loads.
    if (cognito) process.env.COGNITO_ENDPOINT = `http://127.0.0.1:${cognito.address().port}`;
    const { handler, saveCodeCache } = require(loader);
    if (cognito) {
      const result = await handler(resendEvent(), { awsRequestId: 'packaging' });
      const body = JSON.parse(result.body ?? '{}');
      if (result.statusCode !== 200 || body.data === undefined || body.errors !== undefined)
        throw new Error(`the packaging request was not answered: ${result.statusCode} ${result.body}`);
    }
    if (!saveCodeCache)
      throw new Error('the loader compiled the bundle without a code cache (source maps on?)');
    saveCodeCache();
  } finally {
    cognito?.closeAllConnections();
    cognito?.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
