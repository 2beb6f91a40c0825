// What src/dev adds to the node:http gateway outside production (createGateway's `development`): the demo
// page and, in local mode only, the embedded stand-in's outbox for the demo page. main.ts loads this module
// only outside production.
import type { DevelopmentAdditions } from '../app';
import type { OutboxReader } from '../local-cognito';
import { demoPage, findDemoDirectory } from './demo-page';
import { outboxRoutes } from './outbox-route';

export interface DevelopmentOptions {
  /** demo/ (the demo page's files); found from this module when not given. */
  directory?: string | undefined;
  /** The embedded stand-in's outbox: given in local mode only, never for a real or emulated Cognito. */
  outbox?: OutboxReader | undefined;
}

export function developmentAdditions(options: DevelopmentOptions = {}): DevelopmentAdditions {
  const directory = 'directory' in options ? options.directory : findDemoDirectory();
  const demo = demoPage({ directory });
  return {
    routes: new Map([...demo.routes, ...(options.outbox ? outboxRoutes(options.outbox) : [])]),
    ...(demo.trustedDocuments && { trustedDocuments: demo.trustedDocuments }),
  };
}
