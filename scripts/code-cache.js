// Copied as code-cache.js beside both bundles, the server's (dist/server/, scripts/server-bundle.js) and the
// Lambda package's (dist/lambda/, scripts/package-lambda.js): runs a bundle as Node runs a CommonJS module, but
// compiled with V8's code for it, saved after the build had it start and answer one request. That code holds
// every function the start and the first request compiled, so V8 neither parses nor compiles them again; Node's
// own compile cache (module.enableCompileCache) keeps only what is compiled before a module runs (0.4 MB of the
// 4-5 MB here). V8 checks the code against its version and flags but the source only by its length, and a
// release build of V8 does not check its data at all (flipped bytes end the process with a fatal error), so a
// cache file starts with the CRC-32 of the bundle it was made from and the CRC-32 of V8's data (4 bytes each,
// little-endian), then V8's data. Code of another bundle, another Node or other V8 flags, or damaged, is
// refused with one warning (GATEWAY_CODE_CACHE_REJECTED) and the bundle compiled as usual; a missing cache is not a warning (NODE_DEBUG=gateway_code_cache says so, and
// whether a cache was taken). The cache is only read at run time: a read-only directory starts the same way.
// With --enable-source-maps the bundle is required as it is: Node maps stack traces through its source map
// (to src/*.ts) only for a module it loads itself.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { debuglog } = require('node:util');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');

const log = debuglog('gateway_code_cache');

function warn(bundle, why) {
  process.emitWarning(
    `${why}: ${bundle} is compiled instead, a slower start; build it again with the Node that runs it`,
    { code: 'GATEWAY_CODE_CACHE_REJECTED' },
  );
}

/** V8's data in `cacheFile` when it was made from `source`, else undefined. */
function codeFor(bundle, source, cacheFile) {
  let file;
  try {
    file = readFileSync(cacheFile);
  } catch {
    log('no code cache at %s', cacheFile);
    return undefined;
  }
  if (file.length <= 8 || file.readUInt32LE(0) !== crc32(source)) {
    warn(bundle, `${cacheFile} was made from another bundle`);
    return undefined;
  }
  const data = file.subarray(8);
  if (file.readUInt32LE(4) === crc32(data)) return data;
  warn(bundle, `${cacheFile} is damaged`);
  return undefined;
}

/**
 * Runs the bundle `bundle` (a CommonJS file) with the code in `cacheFile`; answers its exports and
 * `saveCodeCache()`, which writes V8's code for it as it stands (every function compiled so far) to `cacheFile`,
 * readable by every user (a service account may run what root built); undefined when the bundle was required
 * as it is (source maps on).
 */
function loadBundle(bundle, cacheFile) {
  if (process.sourceMapsEnabled) return { exports: require(bundle), saveCodeCache: undefined };
  const source = readFileSync(bundle);
  const cachedData = codeFor(bundle, source, cacheFile);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), {
    filename: bundle,
    ...(cachedData && { cachedData }),
    // import() inside the bundle (the AWS SDK's instance metadata client loads node:http so) works as in a module.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData && script.cachedDataRejected)
    warn(bundle, `${cacheFile} was not made by this Node (${process.version}) with these V8 flags`);
  else if (cachedData) log('code cache accepted: %s', cacheFile);
  const loaded = new Module(bundle, module);
  loaded.filename = bundle;
  script
    .runInThisContext()
    .call(loaded.exports, loaded.exports, Module.createRequire(bundle), loaded, bundle, dirname(bundle));
  loaded.loaded = true;
  const saveCodeCache = () => {
    const data = script.createCachedData();
    const header = Buffer.alloc(8);
    header.writeUInt32LE(crc32(source), 0);
    header.writeUInt32LE(crc32(data), 4);
    writeFileSync(cacheFile, Buffer.concat([header, data]), { mode: 0o644 });
  };
  return { exports: loaded.exports, saveCodeCache };
}

module.exports = { loadBundle };
