// The services a stand-in target may depend on. Targets take a narrow Pick of Services, so each one's reach
// into shared state is visible in its signature.
import type { Clock } from './clock';
import type { Outbox } from './outbox';
import type { Store } from './store';
import type { RecordedCall } from './types';

export interface Services {
  store: Store;
  clock: Clock;
  outbox: Outbox;
  generateCode: () => string;
  calls: RecordedCall[];
  log: (line: string) => void;
}
