// The app client secret in use, and where it is re-read from. Cognito lets a client hold two secrets while one
// replaces the other, so the gateway follows a rotation without a restart: COGNITO_CLIENT_SECRET_FILE is
// watched (and re-read on SIGHUP) by the shared secret-file source, a new valid value is used from the next
// request on, and anything else is refused while the secret in use stays. The value is never logged.
import type { Logger } from '../logger';
import { Secret } from '../secret';
import { type ReloadResult, SecretFileSource } from '../secret-file-source';

export {
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_POLL_MS,
  type ReloadResult,
  type ReloadTrigger,
  type WatchOptions,
} from '../secret-file-source';

export interface ClientSecretFileOptions {
  file: string;
  /** Why a value is not a client secret, or undefined when it is one: config/cognito.ts's clientSecretProblem. */
  validate: (value: string) => string | undefined;
  logger: Logger;
  /** Each counted reload's outcome (the metric gateway_client_secret_reloads_total). */
  onReload?: (result: ReloadResult) => void;
  readFile?: (path: string) => string;
}

export class ClientSecretSource extends SecretFileSource<Secret> {
  constructor(initial: Secret, fromFile?: ClientSecretFileOptions) {
    super(
      initial,
      fromFile && {
        file: fromFile.file,
        names: { subject: 'client secret', kept: 'the secret in use is kept' },
        parse: (text) => {
          const problem = fromFile.validate(text);
          return problem === undefined ? { value: new Secret(text) } : { problem };
        },
        same: (a, b) => a.reveal() === b.reveal(),
        logger: fromFile.logger,
        ...(fromFile.onReload && { onReload: fromFile.onReload }),
        ...(fromFile.readFile && { readFile: fromFile.readFile }),
      },
      initial.reveal(),
    );
  }
}
