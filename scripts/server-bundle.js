// `npm run build`'s last step (scripts/build.js): what `npm start` runs, in dist/server/:
//   main.js          the compiled gateway (dist/src/main.js) bundled by esbuild as the Lambda's handler is
//                    (scripts/package-lambda.js: minified, class names kept, source map, licences), so that a
//                    start reads one file instead of resolving, reading and compiling about 2,000. The stand-in
//                    and the demo page are in it but run only when local mode requires them; the files they
//                    read at run time (demo/, the altcha widget, GraphiQL) are found from dist/server/ as from
//                    dist/src/.
//   index.js         the entry (scripts/server-entry.js): runs main.js with the code cache (scripts/code-cache.js,
//                    copied beside it);
//   main.js.v8-cache V8's code for main.js after one production start here has answered one request,
//                    readable by every user (a service account may run what root built).
// dist/src/ stays: `npm run dev`, the Lambda's directory package and the tests run it.
const { spawn } = require('node:child_process');
const { chmodSync, copyFileSync, existsSync, readFileSync, rmSync } = require('node:fs');
const { join, relative } = require('node:path');
const { bundle, packagingEnv } = require('./package-lambda');

const root = join(__dirname, '..');
const outdir = join(root, 'dist', 'server');
const INDEX = join(outdir, 'index.js');

/** The Node flags (`--...`) of package.json's `start` script, so that the cache is written as `npm start` runs. */
function startFlags() {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The Lambda packaging's production configuration, listening on loopback and logging where it listens. */
function warmUpEnv() {
  return { ...packagingEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
}

/**
 * Starts the bundle as `npm start` would in production, asks it one query, stops it with SIGTERM, and has the
 * process write V8's code for main.js as it exits. Rejects when the gateway does not start or answer.
 */
function warmCodeCache() {
  const script = `const { saveCodeCache } = require(${JSON.stringify(INDEX)}).run();
process.on('exit', saveCodeCache);`;
  const child = spawn(process.execPath, [...startFlags(), '-e', script], {
    cwd: root,
    env: warmUpEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const listening = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.includes('"gateway listening"'));
      if (line) resolve(JSON.parse(line).url);
    });
    exited.then(({ code }) => reject(new Error(`the bundle exited (${code}) before listening: ${stderr}`)));
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return listening
    .then(async (url) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ serviceInfo { name version } }' }),
      });
      const body = await res.text();
      if (res.status !== 200 || !body.includes('"serviceInfo"'))
        throw new Error(`the bundle answered ${res.status}: ${body}`);
    })
    .finally(() => child.kill('SIGTERM'))
    .then(() => exited)
    .then(({ code, signal }) => {
      if (code !== 0) throw new Error(`the bundle stopped with ${code ?? signal}: ${stderr}`);
    })
    .finally(() => clearTimeout(timeout));
}

/** Builds dist/server/ from dist/src/; answers the bundle's size in bytes. */
async function bundleServer() {
  rmSync(outdir, { recursive: true, force: true });
  const { bytes } = await bundle(join(root, 'dist', 'src', 'main.js'), join(outdir, 'main.js'), {
    // The demo page only resolves the widget's files from altcha's package, never requires it.
    external: ['altcha'],
  });
  copyFileSync(join(__dirname, 'server-entry.js'), INDEX);
  copyFileSync(join(__dirname, 'code-cache.js'), join(outdir, 'code-cache.js'));
  const { CODE_CACHE } = require(INDEX);
  try {
    await warmCodeCache();
    // writeFileSync's mode is only used when it creates the file, and a umask may take from it.
    chmodSync(CODE_CACHE, 0o644);
  } catch (error) {
    // npm start still works, compiling main.js at every start: say so, and let the install go on.
    rmSync(CODE_CACHE, { force: true });
    console.warn(`server-bundle: no code cache (${error.message.trim()}); npm start compiles at each start`);
  }
  return { bytes, cached: existsSync(CODE_CACHE) };
}

module.exports = { bundleServer, SERVER_ENTRY: INDEX };

if (require.main === module) {
  bundleServer().then(
    ({ bytes, cached }) => {
      console.log(
        `${relative(root, outdir)}/: main.js ${(bytes / 2 ** 20).toFixed(1)} MiB, index.js${cached ? `, main.js.v8-cache (${process.version})` : ''}`,
      );
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
