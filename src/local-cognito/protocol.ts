// The AWS JSON 1.1 wire format as the AWS SDK v3 reads it. The SDK takes the error name from the body's
// `__type` first and the `x-amzn-ErrorType` header second (anything after ':' is dropped), and the message
// from `message` (or `Message`); the request id comes from `x-amzn-RequestId`.
import type { ServerResponse } from 'node:http';
import { CognitoError } from './errors';
import type { JsonObject } from './types';
import { isJsonObject } from './validation';

export const AMZ_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const SERVICE_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  // Set on answers that stand for something in front of Cognito (a load balancer's error page): those never
  // carry a Cognito request id, and the SDK reports none.
  omitRequestId?: boolean;
}

// Not an answer at all: the connection is destroyed instead, as when the network or a proxy fails mid-call.
export const DROP_CONNECTION = Symbol('drop connection');
export type Reply = WireResponse | typeof DROP_CONNECTION;

export function successResponse(result: unknown): WireResponse {
  return {
    status: 200,
    headers: { 'Content-Type': AMZ_JSON_CONTENT_TYPE },
    body: JSON.stringify(result ?? {}),
  };
}

export function errorResponse(error: CognitoError): WireResponse {
  return {
    status: error.status,
    headers: { 'Content-Type': AMZ_JSON_CONTENT_TYPE, 'x-amzn-ErrorType': `${error.type}:` },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}

export function writeResponse(res: ServerResponse, requestId: string, response: WireResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    'Content-Length': Buffer.byteLength(response.body),
    ...(!response.omitRequestId && { 'x-amzn-RequestId': requestId }),
  });
  res.end(response.body);
}

// '' when the target is absent or names another service, so the caller reports UnknownOperationException.
export function actionName(target: string): string {
  return target.startsWith(SERVICE_TARGET_PREFIX) ? target.slice(SERVICE_TARGET_PREFIX.length) : '';
}

export function parseJson(raw: string): unknown {
  // AWS treats an empty body as an empty structure; the SDK always sends at least '{}'.
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function requireJsonObject(parsed: unknown): JsonObject {
  if (!isJsonObject(parsed)) {
    throw new CognitoError(
      'SerializationException',
      'The request body could not be parsed as a JSON object.',
    );
  }
  return parsed;
}

// SigV4-signed calls carry their region in the credential scope; unsigned ones fall back to us-east-1.
export function regionFromAuthorization(authorization: string | undefined): string {
  const match = authorization?.match(/Credential=[^/,\s]+\/\d{8}\/([^/]+)\//);
  return match?.[1] ?? 'us-east-1';
}
