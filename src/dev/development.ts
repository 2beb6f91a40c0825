// What src/dev adds to the node:http gateway outside production (createGateway's `development`): the demo
// page, the local explorer (GraphiQL as the landing page of GET /graphql), and, in local mode only, the
// embedded stand-in's outbox for the demo page. main.ts loads this module only outside production.

import type { OutboxReader } from '../local-cognito';
import type { DevelopmentAdditions } from '../node-server/start-server';
import { demoPage, findDemoDirectory } from './demo-page';
import { explorerPage } from './explorer-page';
import { outboxRoutes } from './outbox-route';

export interface DevelopmentOptions {
  /** demo/ (the demo page's and the explorer's own files); found from this module when not given. */
  directory?: string | undefined;
  /** The embedded stand-in's outbox: given in local mode only, never for a real or emulated Cognito. */
  outbox?: OutboxReader | undefined;
}

export function developmentAdditions(options: DevelopmentOptions = {}): DevelopmentAdditions {
  const directory = 'directory' in options ? options.directory : findDemoDirectory();
  const demo = demoPage({ directory });
  const explorer = explorerPage(directory);
  return {
    routes: new Map([
      ...demo.routes,
      ...explorer.routes,
      ...(options.outbox ? outboxRoutes(options.outbox) : []),
    ]),
    ...(demo.persistedDocuments && { persistedDocuments: demo.persistedDocuments }),
    landingPage: explorer.landingPage,
  };
}
