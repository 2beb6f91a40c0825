// `npm run dev`: the edit-compile-restart loop. `tsc --watch` compiles to dist/; only once its first compile
// has finished does the gateway start, under `node --watch-path=dist`, which restarts it whenever a later
// compile rewrites dist/ (started earlier, it would restart a few seconds in, when that first compile lands).
// SIGTERM and SIGINT are passed to both children (SIGHUP stops them like SIGTERM), and this process exits
// once both are gone: 0 after a stop it was asked for, 1 when either child ended on its own (the other is
// stopped first). npm runs this with `exec`, so npm's own pid forwards a supervisor's or a terminal's signal.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { createInterface } = require('node:readline');

const root = join(__dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// tsc prints this after every compile, with or without errors ("Found 0 errors. Watching for file changes.").
const COMPILED = /Watching for file changes\./;

/** Running children, each with its name and how to signal it. */
const running = new Map();
let stopping = false;
let exitCode = 0;

/**
 * Starts `node <args>`. A child started as a process group leads the processes it starts itself (the watcher
 * and its gateway): they are signalled together, so a gateway outlives neither a watcher that died (its
 * forwarder) nor a stop.
 */
function start(name, args, { stdio, group = false }) {
  const child = spawn(process.execPath, args, { cwd: root, stdio, detached: group });
  const signal = (sig) => {
    try {
      if (group) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // ESRCH: already gone.
    }
  };
  running.set(child, { name, signal });
  child.once('error', (error) => console.error(`dev: cannot start ${name}: ${error.message}`));
  child.once('exit', (code, sig) => {
    running.delete(child);
    if (group) signal('SIGTERM'); // whatever of its group is left, e.g. a gateway whose watcher was killed
    if (!stopping) {
      console.error(`dev: ${name} ended (${sig ?? `exit code ${code}`}); stopping`);
      stop('SIGTERM', 1);
    } else if (code !== null && code !== 0) {
      exitCode = code; // e.g. a gateway that could not finish its requests within the shutdown timeout
    }
    if (running.size === 0) process.exit(exitCode);
  });
  return child;
}

function stop(sig, code) {
  stopping = true;
  if (code !== 0) exitCode = code;
  for (const { signal } of running.values()) signal(sig);
}

const compiler = start(
  'tsc --watch',
  [
    tsc,
    '-p',
    'tsconfig.build.json',
    '--watch',
    '--preserveWatchOutput',
    ...(process.stdout.isTTY ? ['--pretty'] : []),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let gatewayStarted = false;
createInterface({ input: compiler.stdout }).on('line', (line) => {
  console.log(line);
  if (gatewayStarted || stopping || !COMPILED.test(line)) return;
  gatewayStarted = true;
  start(
    'the gateway (node --watch-path=dist)',
    ['--watch-path=dist', '--watch-preserve-output', 'dist/src/main.js'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      group: true,
    },
  );
});

process.on('SIGTERM', () => stop('SIGTERM', 0));
process.on('SIGINT', () => stop('SIGINT', 0));
// A closed terminal hangs up its foreground group, which the watcher's group is not part of: stop it too.
process.on('SIGHUP', () => stop('SIGTERM', 0));
