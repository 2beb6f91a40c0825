// `npm run package:lambda`: the Lambda handler as a few files in dist/lambda/, handler `index.handler`:
//   handler.js      everything the handler loads, bundled by esbuild from the compiled dist/src/lambda/handler.js
//                   (tsc's output keeps the decorator metadata type-graphql reads, which esbuild would not emit
//                   from the TypeScript), minified with class and function names kept (type-graphql names
//                   GraphQL types after classes), with its source map and the bundled packages' licences;
//   index.js        the entry (scripts/lambda-loader.js): compiles handler.js with the code cache;
//   code-cache/     V8's code for handler.js as the packaging Node compiled it while loading the handler and
//                   answering one request (scripts/warm-code-cache.js), every function that took included (Node's
//                   own compile cache keeps only what is compiled before the module runs, a tenth of it): one
//                   made with Lambda's runtime flags (--expose-gc), one without. Another Node version, or other
//                   V8 flags, finds V8 refusing it and compiles as usual.
// The archive needs no node_modules. Modules only a path the handler does not take needs (ioredis without
// REDIS_URL) are bundled but never evaluated; the stand-in and the demo are not reachable, so not bundled.
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { copyFileSync, mkdirSync, rmSync, statSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = join(__dirname, '..');

/**
 * Imports that a package makes for a path the gateway never takes, answered in the bundle by a stand-in, so
 * that what they import is evaluated only when used, or not bundled at all:
 *  - the Cognito client's own import of the SDK's credential chain: src/cognito/client.ts gives the client the
 *    chain itself, loaded by the first signed call (only the look-up's AdminGetUser is signed);
 *  - class-validator's isPhoneNumber's import of libphonenumber with its metadata (the gateway reads phone
 *    numbers through src/spend-guard/phone-numbers.ts, which loads it by the first number): loaded if called;
 *  - Apollo Server's inline-trace and usage-reporting plugins (and their protobuf schema): src/gateway-core.ts
 *    installs their disabled forms, so Apollo never loads them.
 */
const STAND_INS = [
  {
    importer: /@aws-sdk[\\/]client-cognito-identity-provider[\\/]/,
    path: '@aws-sdk/credential-provider-node',
    contents: 'module.exports = {};',
  },
  {
    importer: /class-validator[\\/]cjs[\\/]decorator[\\/]string[\\/]IsPhoneNumber\.js$/,
    path: 'libphonenumber-js/max',
    contents:
      "module.exports = { parsePhoneNumber: (...args) => require('libphonenumber-js/max').parsePhoneNumber(...args) };",
  },
  ...['./plugin/inlineTrace/index.js', './plugin/usageReporting/index.js'].map((path) => ({
    importer: /@apollo[\\/]server[\\/]dist[\\/]cjs[\\/]ApolloServer\.js$/,
    path,
    contents: `throw new Error('${path} is not in the Lambda bundle: install its disabled form');`,
  })),
];

const standIns = {
  name: 'stand-ins',
  setup(build) {
    build.onResolve({ filter: /./ }, ({ path, importer }) => {
      const standIn = STAND_INS.findIndex((s) => s.path === path && s.importer.test(importer));
      return standIn === -1 ? undefined : { path: `${standIn}:${path}`, namespace: 'stand-in' };
    });
    build.onLoad({ filter: /./, namespace: 'stand-in' }, ({ path }) => ({
      contents: STAND_INS[Number(path.split(':', 1)[0])].contents,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * Bundles `entry` (a compiled CommonJS module) into `outfile`; answers the bundle's size in bytes and the files
 * it took in (relative to the project). `plugins`: esbuild plugins of a caller's own, run before the bundle's;
 * `options` adds to esbuild's (scripts/server-bundle.js: `external`).
 */
async function bundle(entry, outfile, { plugins = [], ...options } = {}) {
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
    plugins: [...plugins, standIns],
    ...options,
  });
  return { bytes: statSync(outfile).size, inputs: Object.keys(metafile.inputs) };
}

/**
 * A configuration the handler can start with while packaging (the Cognito it calls is the warm-up's own, on
 * loopback).
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
 * The V8 flags of each code cache the package holds (scripts/lambda-loader.js picks the file by them): Lambda's
 * runtime starts node with --expose-gc, which V8 counts among the flags a cache must match (heap sizes and
 * Node's own options it does not).
 */
const CACHE_FLAGS = [['--expose-gc'], []];

/**
 * Loads the package in `dir` once per cache and, with `request`, answers one request, then writes V8's
 * code for the bundle into `dir`/code-cache/.
 */
function warmCodeCache(dir, request) {
  mkdirSync(join(dir, 'code-cache'), { recursive: true });
  for (const flags of CACHE_FLAGS) {
    execFileSync(
      process.execPath,
      [...flags, join(__dirname, 'warm-code-cache.js'), join(dir, 'index.js'), String(request)],
      { env: packagingEnv(), stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
}

/** The compiled gateway handler the package bundles. */
const GATEWAY_HANDLER = join(root, 'dist', 'src', 'lambda', 'handler.js');

/**
 * Builds a package into `dir`: the bundle of `entry` (the gateway's handler unless told), the loader and the
 * code caches, warmed by one resendConfirmationCode (`request: false`: by loading alone, for a handler that
 * cannot answer it).
 */
async function packageLambda(dir, { entry = GATEWAY_HANDLER, request = true } = {}) {
  const outdir = resolve(dir);
  rmSync(outdir, { recursive: true, force: true });
  const built = await bundle(resolve(entry), join(outdir, 'handler.js'));
  copyFileSync(join(__dirname, 'lambda-loader.js'), join(outdir, 'index.js'));
  copyFileSync(join(__dirname, 'code-cache.js'), join(outdir, 'code-cache.js'));
  warmCodeCache(outdir, request);
  return built;
}

module.exports = { bundle, packageLambda, packagingEnv };

if (require.main === module) {
  const outdir = join(root, 'dist', 'lambda');
  packageLambda(outdir).then(
    ({ bytes }) => {
      console.log(
        `${relative(root, outdir)}/: handler.js ${(bytes / 2 ** 20).toFixed(1)} MiB, index.js, code-cache/ (handler: index.handler, ${process.version})`,
      );
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
