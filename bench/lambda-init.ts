// Runs in a fresh process spawned by the bench: the time from require() of a Lambda handler (the built one,
// or the file given as the first argument: the bundle, or the bare floor's bundle) to its first answered
// mutation (an API Gateway HTTP API v2 event, as Lambda's init and first invoke), printed as one JSON line.
// The gateway's handler builds the gateway while its module loads, as in Lambda's init phase.
import { join } from 'node:path';
import { BODY } from './body';

const started = performance.now();
const { handler } = require(
  process.argv[2] ?? join(__dirname, '..', 'src', 'lambda', 'handler.js'),
) as typeof import('../src/lambda/handler');
const required = performance.now();

handler(
  {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(BODY)) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: '/graphql',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 1796083200000,
    },
    body: BODY,
    isBase64Encoded: false,
  },
  { awsRequestId: 'bench-init' },
)
  .then((result) => {
    const answered = performance.now();
    const body = typeof result === 'object' && 'body' in result ? String(result.body) : '';
    const ok = (JSON.parse(body) as { data?: unknown }).data !== undefined;
    console.log(
      JSON.stringify({
        ok,
        requireMs: required - started,
        firstAnswerMs: answered - started,
        rssMb: process.memoryUsage().rss / 2 ** 20,
      }),
    );
    process.exit(ok ? 0 : 1);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
