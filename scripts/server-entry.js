// What `npm start` runs, copied by scripts/server-bundle.js to dist/server/index.js beside the bundle main.js:
// it runs main.js as Node runs a CommonJS module, but compiled with the V8 code in main.js.v8-cache, which the
// build wrote after one start and one answer. That code holds every function the start and the first request
// compiled, so V8 neither parses nor compiles them again: 260 ms of CPU to the first answer here, against 440
// with Node's own compile cache (module.enableCompileCache), which keeps only what is compiled before a module
// runs, and 520 with none. V8 checks the code against the source, its version and its flags; code another Node
// wrote is refused (with a warning on stderr) and main.js is compiled as usual. The cache is only ever read:
// a read-only dist/ starts the same way. With --enable-source-maps (NODE_OPTIONS) main.js is required as it is.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const MAIN = join(__dirname, 'main.js');
const CODE_CACHE = `${MAIN}.v8-cache`;

/**
 * Runs main.js with its code cache when there is one; answers the compiled script (the build saves its cache),
 * or undefined when main.js was required as it is: Node maps stack traces through main.js.map (to src/*.ts)
 * only for a module it loads itself, so with source maps on (--enable-source-maps) the cache is left out.
 */
function run() {
  if (process.sourceMapsEnabled) {
    require(MAIN);
    return undefined;
  }
  let cachedData;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    // none (a build that could not warm it) or not readable: compile from source
  }
  const script = new vm.Script(Module.wrap(readFileSync(MAIN, 'utf8')), {
    filename: MAIN,
    cachedData,
    // import() inside the bundle (the AWS SDK's instance metadata client loads node:http so) works as in a module.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (script.cachedDataRejected)
    process.emitWarning(
      `${CODE_CACHE} was not written by this Node (${process.version}): main.js is compiled instead, a slower start; \`npm run build\` writes a new one`,
      { code: 'GATEWAY_CODE_CACHE_REJECTED' },
    );
  const main = new Module(MAIN, module);
  main.filename = MAIN;
  script
    .runInThisContext()
    .call(main.exports, main.exports, Module.createRequire(MAIN), main, MAIN, __dirname);
  main.loaded = true;
  return script;
}

if (require.main === module) run();
else module.exports = { run, CODE_CACHE };
