// `npm ci` runs this: it builds dist/ when TypeScript is installed. A production install without dev
// dependencies (`npm ci --omit=dev`) has no compiler nor esbuild, so it keeps the dist/ that was built before
// it: `npm start` runs its bundle (dist/server/), which needs nothing from node_modules in production.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const tsc = join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  const built = existsSync(join(__dirname, '..', 'dist', 'server', 'index.js'));
  console.log(
    built
      ? 'prepare: TypeScript not installed (production install); using the existing dist/'
      : 'prepare: TypeScript not installed and no dist/: run `npm ci` (with dev dependencies) to build, then `npm prune --omit=dev`',
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [join(__dirname, 'build.js')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
