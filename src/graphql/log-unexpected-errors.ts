// Apollo plugin: logs in full, with the request id, the errors that formatError masks.
import type { ApolloServerPlugin } from '@apollo/server';
import { isUnexpectedError } from '../errors';
import type { GatewayContext } from '../http/context';
import type { Logger } from '../logger';

/** Errors that formatError masks are bugs or outages: log them in full, with the request id. */
export function logUnexpectedErrors(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          // The context is missing only when building it failed.
          const log = (contextValue as GatewayContext | undefined)?.log ?? logger;
          for (const error of errors) {
            if (isUnexpectedError(error))
              log.error({ err: error.originalError ?? error }, 'unexpected error');
          }
        },
      };
    },
  };
}
