// A value read from a secret file and kept current without a restart: the client secret and the session keys
// are both rotated this way. The file is watched (and re-read on SIGHUP); a new valid text replaces the value
// in use from the next request on, and anything else (malformed, unreadable, half-written) is refused with an
// error log while the value in use stays. The file's text is never logged.
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { secretFileValue } from './config/secret-variables';
import type { Logger } from './logger';

export type ReloadResult = 'ok' | 'unchanged' | 'invalid' | 'unreadable';

/** What asked for a reload: a file-system event, the fallback poll, or SIGHUP. */
export type ReloadTrigger = 'watch' | 'poll' | 'signal';

/** A file's text as the value it stands for, or why it stands for none (never naming the text). */
export type SecretFileParse<T> = (text: string) => { value: T } | { problem: string };

export interface SecretFileOptions<T> {
  file: string;
  /**
   * How logs name the value and what a refusal keeps, e.g. `client secret` and `the secret in use is kept`:
   * operators' alerts match these lines, so each source keeps its own.
   */
  names: { subject: string; kept: string };
  /** The rule start-up applied to the same variable, so that a reload refuses what start-up would refuse. */
  parse: SecretFileParse<T>;
  /** Whether two values are the same (a reload to the same value is `unchanged`, not a swap). */
  same: (a: T, b: T) => boolean;
  logger: Logger;
  /** Each counted reload's outcome (a metric such as gateway_client_secret_reloads_total). */
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

export class SecretFileSource<T> {
  #current: T;
  /** What the file said last time it was read (its text, or why it could not be): polls act only on news. */
  #lastSeen: string | undefined;

  /**
   * `initialText`: the file's text that `initial` came from at start-up, if known, so that the first poll
   * finding the same text is not news.
   */
  constructor(
    initial: T,
    private readonly fromFile?: SecretFileOptions<T>,
    initialText?: string,
  ) {
    this.#current = initial;
    this.#lastSeen = initialText;
  }

  /** The value to use for the next request. */
  current(): T {
    return this.#current;
  }

  /** Whether there is a file to re-read (an inline variable cannot change without a restart). */
  get reloadable(): boolean {
    return this.fromFile !== undefined;
  }

  /**
   * Reads the file and swaps to its value when that is a valid new one. A poll that finds what the last read
   * found is not counted, so a refused file is reported once, not every poll. Undefined: no file.
   */
  reload(trigger: ReloadTrigger): ReloadResult | undefined {
    if (!this.fromFile) return undefined;
    const { file, names, parse, same, logger, onReload } = this.fromFile;
    const read = this.fromFile.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
    let text: string;
    try {
      text = secretFileValue(read(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      if (trigger === 'poll' && this.#lastSeen === `\0${code}`) return 'unreadable';
      this.#lastSeen = `\0${code}`;
      logger.error({ file, trigger, code }, `${names.subject} file unreadable: ${names.kept}`);
      onReload?.('unreadable');
      return 'unreadable';
    }
    const news = text !== this.#lastSeen;
    this.#lastSeen = text;
    let result: ReloadResult;
    const parsed = parse(text);
    if ('problem' in parsed) {
      result = 'invalid';
      if (trigger !== 'poll' || news)
        logger.error(
          { file, trigger, problem: parsed.problem },
          `${names.subject} file refused: ${names.kept}`,
        );
    } else if (same(parsed.value, this.#current)) {
      result = 'unchanged';
      logger.debug({ file, trigger }, `${names.subject} file read: unchanged`);
    } else {
      result = 'ok';
      this.#current = parsed.value;
      logger.info({ file, trigger }, `${names.subject} reloaded`);
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
    const { file, names, logger } = this.fromFile;
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
        logger.warn({ file, err: error }, `${names.subject} file watch failed: polling only`);
        watcher?.close();
      });
    } catch (error) {
      logger.warn({ file, err: error }, `${names.subject} file cannot be watched: polling only`);
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
