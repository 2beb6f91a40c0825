// `npm run build` and `npm ci`'s prepare: compile src/ (and bench/) into a fresh dist/, then bundle what
// `npm start` runs into dist/server/ (scripts/server-bundle.js). The old dist/ goes first: a module that was
// moved or split (src/config.ts became src/config/) would otherwise stay behind as dist/src/config.js, which
// Node resolves before dist/src/config/index.js, so a `git pull` and a rebuild would run yesterday's code.
const { rmSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const compiled = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  { cwd: root, stdio: 'inherit' },
);
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
const bundled = spawnSync(process.execPath, [join(__dirname, 'server-bundle.js')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(bundled.status ?? 1);
