// The Lambda package's entry (handler `index.handler`), copied there as index.js by scripts/package-lambda.js:
// loads the bundle beside it (handler.js) with V8's code for it, as the packaging Node compiled it while
// loading the handler and answering a request (code-cache/). V8 takes that code only from the same V8 with the
// same flags, and checks both itself: anything else compiles the bundle as usual. Lambda's runtime starts node
// with --expose-gc, which changes V8's flags, so the package holds one cache made with it and one without.
// With source maps on (NODE_OPTIONS=--enable-source-maps) Node's own loader compiles the bundle instead: it
// registers source maps only for the modules it loads itself.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { debuglog } = require('node:util');
const vm = require('node:vm');

const log = debuglog('gateway_code_cache');
const BUNDLE = join(__dirname, 'handler.js');

/** The code cache for this process's V8 flags: made with --expose-gc (Lambda's runtime) or without. */
function cacheFile() {
  return join(__dirname, 'code-cache', typeof globalThis.gc === 'function' ? 'expose-gc.bin' : 'default.bin');
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    log('no code cache at %s', file);
    return undefined;
  }
}

/** The bundle as a CommonJS module, compiled with the cache; and a new cache of everything compiled so far. */
function load() {
  if (process.sourceMapsEnabled) return { exports: require(BUNDLE), createCodeCache: undefined };
  const cachedData = readCache(cacheFile());
  // Node's CommonJS wrapper, on a line of its own so that the bundle's line numbers stay its own.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {\n${readFileSync(BUNDLE, 'utf8')}\n})`,
    {
      filename: BUNDLE,
      lineOffset: -1,
      ...(cachedData && { cachedData }),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    },
  );
  if (cachedData) log('code cache %s', script.cachedDataRejected ? 'rejected' : 'accepted');
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, BUNDLE, __dirname);
  return { exports: module.exports, createCodeCache: () => script.createCachedData() };
}

const loaded = load();
exports.handler = loaded.exports.handler;
/** For the packaging: V8's code for the bundle, every function compiled so far included. */
exports.createCodeCache = loaded.createCodeCache;
