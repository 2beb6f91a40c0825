// The app client secret in use, and where it is re-read from. Cognito lets a client hold two secrets while one
// replaces the other, so the gateway follows a rotation without a restart: COGNITO_CLIENT_SECRET_FILE is
// watched (and re-read on SIGHUP), a new valid value is used from the next request on, and anything else
// (malformed, unreadable, half-written) is refused with an error log while the secret in use stays.
// The value is never logged.
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { secretFileValue } from '../config';
import type { Logger } from '../logger';
import { Secret } from '../secret';

export type ReloadResult = 'ok' | 'unchanged' | 'invalid' | 'unreadable';

/** What asked for a reload: a file-system event, the fallback poll, or SIGHUP. */
export type ReloadTrigger = 'watch' | 'poll' | 'signal';

export interface ClientSecretFileOptions {
  file: string;
  /** Why a value is not a client secret, or undefined when it is one: config/cognito.ts's clientSecretProblem. */
  validate: (value: string) => string | undefined;
  logger: Logger;
  /** Each counted reload's outcome (the metric gateway_client_secret_reloads_total). */
  onReload?: (result: ReloadResult) => void;
  readFile?: (path: string) => string;
}

export interface WatchOptions {
  /** Quiet time after the last event before the file is read: a swap is several events. Default 100 ms. */
  debounceMs?: number;
  /** The fallback poll, for events that never come (network file systems, a symlink elsewhere). Default 30 s. */
  pollMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 100;
export const DEFAULT_POLL_MS = 30_000;

export class ClientSecretSource {
  #current: Secret;
  /** What the file said last time it was read (its text, or why it could not be): polls act only on news. */
  #lastSeen: string | undefined;

  constructor(
    initial: Secret,
    private readonly fromFile?: ClientSecretFileOptions,
  ) {
    this.#current = initial;
    this.#lastSeen = initial.reveal();
  }

  /** The secret to sign the next request with. */
  current(): Secret {
    return this.#current;
  }

  /** Whether there is a file to re-read (an inline COGNITO_CLIENT_SECRET cannot change without a restart). */
  get reloadable(): boolean {
    return this.fromFile !== undefined;
  }

  /**
   * Reads the file and swaps to its value when that is a valid new secret. A poll that finds what the last
   * read found is not counted, so a refused file is reported once, not every poll. Undefined: no file.
   */
  reload(trigger: ReloadTrigger): ReloadResult | undefined {
    if (!this.fromFile) return undefined;
    const { file, validate, logger, onReload } = this.fromFile;
    const read = this.fromFile.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
    let value: string;
    try {
      value = secretFileValue(read(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      if (trigger === 'poll' && this.#lastSeen === `\0${code}`) return 'unreadable';
      this.#lastSeen = `\0${code}`;
      logger.error({ file, trigger, code }, 'client secret file unreadable: the secret in use is kept');
      onReload?.('unreadable');
      return 'unreadable';
    }
    const news = value !== this.#lastSeen;
    this.#lastSeen = value;
    let result: ReloadResult;
    const problem = validate(value);
    if (problem !== undefined) {
      result = 'invalid';
      if (trigger !== 'poll' || news)
        logger.error({ file, trigger, problem }, 'client secret file refused: the secret in use is kept');
    } else if (value === this.#current.reveal()) {
      result = 'unchanged';
      logger.debug({ file, trigger }, 'client secret file read: unchanged');
    } else {
      result = 'ok';
      this.#current = new Secret(value);
      logger.info({ file, trigger }, 'client secret reloaded');
    }
    if (trigger !== 'poll' || news) onReload?.(result);
    return result;
  }

  /**
   * Watches the file's directory, not the file: Kubernetes and most editors replace a file by rename or by
   * swapping a symlink (`..data`), which a watch on the old file would never report. Events are debounced; a
   * poll catches what no event announced. Returns the function that stops both. No file: nothing to watch.
   */
  watch(options: WatchOptions = {}): () => void {
    if (!this.fromFile) return () => {};
    const { file, logger } = this.fromFile;
    const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const name = basename(file);
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.reload('watch'), debounceMs);
      timer.unref();
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        // The file itself, Kubernetes' `..data` symlink swap, or a platform that does not say which.
        if (changed === null || changed === name || changed.startsWith('..')) schedule();
      });
      watcher.on('error', (error) => {
        logger.warn({ file, err: error }, 'client secret file watch failed: polling only');
        watcher?.close();
      });
    } catch (error) {
      logger.warn({ file, err: error }, 'client secret file cannot be watched: polling only');
    }
    const poll = setInterval(() => this.reload('poll'), options.pollMs ?? DEFAULT_POLL_MS);
    poll.unref();
    return () => {
      watcher?.close();
      clearTimeout(timer);
      clearInterval(poll);
    };
  }
}
