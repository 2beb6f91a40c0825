// The Lambda package's entry (handler `index.handler`), copied there as index.js by scripts/package-lambda.js
// beside the bundle handler.js and code-cache.js: loads handler.js compiled with V8's code for it, as the
// packaging Node compiled it while loading the handler and answering a request (code-cache/, see
// scripts/code-cache.js). V8 takes that code only with the same flags, and Lambda's runtime starts node with
// --expose-gc, which changes them: the package holds one cache made with it and one without.
const { join } = require('node:path');
const { loadBundle } = require('./code-cache');

const flags = typeof globalThis.gc === 'function' ? 'expose-gc' : 'default';
const loaded = loadBundle(join(__dirname, 'handler.js'), join(__dirname, 'code-cache', `${flags}.bin`));

exports.handler = loaded.exports.handler;
/** For the packaging: writes V8's code for the bundle, every function compiled so far included. */
exports.saveCodeCache = loaded.saveCodeCache;
