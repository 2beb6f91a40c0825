// The JSON request body, judged the same way whether it came from a socket (the node:http server) or in an
// event (the Lambda handler): compressed bodies and bodies past the limit are refused, and so is malformed
// JSON; a body that is not JSON is left to Apollo Server, which refuses it (CSRF prevention first).
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyHeaders {
  contentEncoding: string | undefined;
  contentLength: string | undefined;
  contentType: string | undefined;
}

export const tooLarge = () => new BodyError(413, 'Request body is too large.');

/** Refuses, from its headers alone and before any byte is read, a body that is compressed or declared too large. */
export function refuseUnreadableBody(headers: BodyHeaders, limit: number): void {
  const encoding = headers.contentEncoding;
  if (encoding !== undefined && encoding !== 'identity')
    throw new BodyError(415, 'Compressed request bodies are not accepted.');
  if (Number(headers.contentLength ?? 0) > limit) throw tooLarge();
}

/** The body as parsed JSON, or undefined when it is not JSON (by its content type) or empty. */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'Request body is not valid JSON.');
  }
}
