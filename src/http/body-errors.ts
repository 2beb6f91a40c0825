// Body-parser failures (malformed JSON, a body over the limit) answered as a GraphQL-shaped error with a
// stable code, instead of Express's default HTML page with a stack trace.
import type { ErrorRequestHandler } from 'express';
import { ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { requestIdOf } from './context';

export function bodyErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status === 413 ? 413 : error.status && error.status < 500 ? error.status : 500;
    const message =
      status === 413
        ? 'Request body is too large.'
        : status === 400 && error.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON.'
          : status < 500
            ? 'Bad request.'
            : 'Internal server error';
    const code = status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR;
    const requestId = requestIdOf(res);
    if (status >= 500) logger.error({ err: error, requestId }, 'request failed');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
