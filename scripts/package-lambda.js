// `npm run package:lambda`: the Lambda handler as one bundled file, dist/lambda/handler.js (with its source
// map), built by esbuild from the compiled dist/src/lambda/handler.js (tsc's output keeps the decorator
// metadata type-graphql reads, which esbuild would not emit from the TypeScript). Class and function names are
// kept (type-graphql names GraphQL types after classes). Everything the handler loads is inside the file: the
// archive needs no node_modules, and modules only a path the handler does not take needs (ioredis without
// REDIS_URL) are bundled but never evaluated. The stand-in and the demo are not reachable from the handler, so
// they are not in it.
const { statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');

/**
 * Bundles `entry` (a compiled CommonJS module) into `outfile`; answers the bundle's size in bytes and the files
 * it took in (relative to the project).
 */
async function bundle(entry, outfile) {
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
  });
  return { bytes: statSync(outfile).size, inputs: Object.keys(metafile.inputs) };
}

module.exports = { bundle };

if (require.main === module) {
  const entry = join(root, 'dist', 'src', 'lambda', 'handler.js');
  const outfile = join(root, 'dist', 'lambda', 'handler.js');
  bundle(entry, outfile).then(
    (bytes) => {
      console.log(
        `${relative(root, outfile)}: ${(bytes / 2 ** 20).toFixed(1)} MiB (handler: handler.handler)`,
      );
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
