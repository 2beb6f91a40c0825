// What `npm start` runs, copied by scripts/server-bundle.js to dist/server/index.js beside the bundle main.js:
// it runs main.js as Node runs a CommonJS module, but compiled with the V8 code in main.js.v8-cache, which the
// build wrote after one start and one answer. That code holds every function the start and the first request
// compiled, so V8 neither parses nor compiles them again: 260 ms of CPU to the first answer here, against 440
// with Node's own compile cache (module.enableCompileCache), which keeps only what is compiled before a module
// runs, and 520 with none. V8 checks the code against its version and flags but the source only by its length,
// so the cache also holds the CRC-32 of the main.js it was made from. Code of another main.js or another Node is
// refused (with a warning on stderr) and main.js compiled as usual. The cache is only ever read at run time: a
// read-only dist/ starts the same way. With --enable-source-maps (NODE_OPTIONS) main.js is required as it is.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');

const MAIN = join(__dirname, 'main.js');
/** The CRC-32 of the main.js it was made from (4 bytes, little-endian), then V8's data. */
const CODE_CACHE = `${MAIN}.v8-cache`;

/**
 * V8's data in the code cache when it was made from `source`, else undefined. V8 itself only compares the
 * source's length: the code of a main.js of the same length (edited by hand, copied over) would run instead.
 */
function codeFor(source) {
  let file;
  try {
    file = readFileSync(CODE_CACHE);
  } catch {
    return undefined; // none (a build that could not write it) or not readable: compile from source
  }
  if (file.length > 4 && file.readUInt32LE(0) === crc32(source)) return file.subarray(4);
  warn(`${CODE_CACHE} was made from another main.js`);
  return undefined;
}

function warn(why) {
  process.emitWarning(
    `${why}: main.js is compiled instead, a slower start; \`npm run build\` writes a new one`,
    {
      code: 'GATEWAY_CODE_CACHE_REJECTED',
    },
  );
}

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
  const source = readFileSync(MAIN);
  const cachedData = codeFor(source);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), {
    filename: MAIN,
    cachedData,
    // import() inside the bundle (the AWS SDK's instance metadata client loads node:http so) works as in a module.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (script.cachedDataRejected) warn(`${CODE_CACHE} was not written by this Node (${process.version})`);
  const main = new Module(MAIN, module);
  main.filename = MAIN;
  script
    .runInThisContext()
    .call(main.exports, main.exports, Module.createRequire(MAIN), main, MAIN, __dirname);
  main.loaded = true;
  return script;
}

/** Writes the code cache of `script` (what run() answered), readable by every user. */
function saveCodeCache(script) {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(crc32(readFileSync(MAIN)));
  writeFileSync(CODE_CACHE, Buffer.concat([header, script.createCachedData()]), { mode: 0o644 });
}

if (require.main === module) run();
else module.exports = { run, saveCodeCache, CODE_CACHE };
