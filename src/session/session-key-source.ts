// The session keys in use, re-read from SESSION_KEYS_FILE as the client secret is from its file: watched, re-read
// on SIGHUP, a new valid pair used from the next request, anything else refused while the keys in use stay.
// The keys and the file's text are never logged.
import { parseSessionKeys, type SessionSettings } from '../config';
import type { Logger } from '../logger';
import { type ReloadResult, SecretFileSource } from '../secret-file-source';
import { deriveSessionKeys, type SessionKeys, sameSessionKeys } from './session-keys';

export interface SessionKeySourceOptions {
  logger: Logger;
  /** Each counted reload's outcome, for a metric like gateway_client_secret_reloads_total. */
  onReload?: (result: ReloadResult) => void;
  readFile?: (path: string) => string;
}

export type SessionKeySource = SecretFileSource<SessionKeys>;

/** The keys of `settings`, reloadable from its keys file when it has one (watch() starts the watch). */
export function sessionKeySource(
  settings: Pick<SessionSettings, 'keys' | 'keysFile'>,
  options: SessionKeySourceOptions,
): SessionKeySource {
  const initial = deriveSessionKeys(settings.keys);
  if (settings.keysFile === undefined) return new SecretFileSource(initial);
  return new SecretFileSource(
    initial,
    {
      file: settings.keysFile,
      names: { subject: 'session keys', kept: 'the keys in use are kept' },
      parse: (text) => {
        const parsed = parseSessionKeys(text, 'SESSION_KEYS_FILE');
        return 'problem' in parsed ? parsed : { value: deriveSessionKeys(parsed.keys) };
      },
      same: sameSessionKeys,
      logger: options.logger,
      ...(options.onReload && { onReload: options.onReload }),
      ...(options.readFile && { readFile: options.readFile }),
    },
    // The text a newline-separated file held at start-up, so that a poll finding it again is no news.
    settings.keys.map((k) => k.reveal()).join('\n'),
  );
}
