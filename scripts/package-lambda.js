// `npm run package:lambda`: the Lambda handler as a few files in dist/lambda/, handler `index.handler`:
//   handler.js      everything the handler loads, bundled by esbuild from the compiled dist/src/lambda/handler.js
//                   (tsc's output keeps the decorator metadata type-graphql reads, which esbuild would not emit
//                   from the TypeScript), minified with class and function names kept (type-graphql names
//                   GraphQL types after classes), with its source map and the bundled packages' licences;
//   index.js        the entry: turns on Node's compile cache from compile-cache/, then loads handler.js;
//   compile-cache/  V8's code for handler.js as the packaging Node compiled it while loading the handler and
//                   answering one request, portable (keyed by the path relative to the cache), so that a cold
//                   start on the same Node version skips most of the compiling. Another Node version finds no
//                   cache of its own and compiles as usual; a read-only directory (/var/task) is only read.
// The archive needs no node_modules. Modules only a path the handler does not take needs (ioredis without
// REDIS_URL) are bundled but never evaluated; the stand-in and the demo are not reachable, so not bundled.
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = join(__dirname, '..');

/**
 * Bundles `entry` (a compiled CommonJS module) into `outfile`; answers the bundle's size in bytes and the files
 * it took in (relative to the project). `options` adds to esbuild's (scripts/server-bundle.js: `external`).
 */
async function bundle(entry, outfile, options = {}) {
  const { build } = require('esbuild');
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    keepNames: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: root,
    ...options,
  });
  return { bytes: statSync(outfile).size, inputs: Object.keys(metafile.inputs) };
}

const LOADER = `// The Lambda entry (handler index.handler): Node's compile cache first (see scripts/package-lambda.js).
const { enableCompileCache } = require('node:module');
enableCompileCache?.({ directory: require('node:path').join(__dirname, 'compile-cache'), portable: true });
module.exports = require('./handler.js');
`;

/**
 * A configuration the handler can start with while packaging (no network is used: the request answered is
 * refused by GraphQL validation before any call).
 */
function packagingEnv() {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SESSION_KEYS: randomBytes(32).toString('base64'),
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: 'us-east-1_Packaging',
    COGNITO_CLIENT_ID: 'packagingclient0000000000',
    COGNITO_CLIENT_SECRET: randomBytes(26).toString('hex'),
  };
}

/**
 * Loads the handler behind `loader` once and, with `request`, answers one request, so that Node writes the
 * compile cache.
 */
function warmCompileCache(loader, request) {
  const event = {
    version: '2.0',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1' },
    },
    body: JSON.stringify({ query: '{ serviceInfo { name version } }' }),
  };
  const load = `require(${JSON.stringify(loader)})`;
  const script = request
    ? `${load}.handler(${JSON.stringify(event)}, { awsRequestId: 'packaging' }).then((r) => { if (r.statusCode !== 200) { console.error(r.body); process.exit(1); } });`
    : load;
  execFileSync(process.execPath, ['-e', script], {
    env: packagingEnv(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The compiled gateway handler the package bundles. */
const GATEWAY_HANDLER = join(root, 'dist', 'src', 'lambda', 'handler.js');

/**
 * Builds a package into `outdir`: the bundle of `entry` (the gateway's handler unless told), the loader and
 * the compile cache, warmed by one request (`request: false`: by loading alone, for a handler that cannot
 * answer without its upstream).
 */
async function packageLambda(dir, { entry = GATEWAY_HANDLER, request = true } = {}) {
  const outdir = resolve(dir);
  rmSync(outdir, { recursive: true, force: true });
  const built = await bundle(resolve(entry), join(outdir, 'handler.js'));
  writeFileSync(join(outdir, 'index.js'), LOADER);
  warmCompileCache(join(outdir, 'index.js'), request);
  return built;
}

module.exports = { bundle, packageLambda, packagingEnv };

if (require.main === module) {
  const outdir = join(root, 'dist', 'lambda');
  packageLambda(outdir).then(
    ({ bytes }) => {
      console.log(
        `${relative(root, outdir)}/: handler.js ${(bytes / 2 ** 20).toFixed(1)} MiB, index.js, compile-cache/ (handler: index.handler, ${process.version})`,
      );
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
