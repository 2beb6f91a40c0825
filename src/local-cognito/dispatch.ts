// The one place where a call of a Cognito action is turned into a response: record it, find its target, parse
// the body, run the target and map any failure onto the wire. Injected faults (faults.ts) are applied here too,
// after recording, so a faulted call is still recorded but never reaches its target.
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CognitoError, internalError } from './errors';
import { type FaultPolicy, faultReply } from './faults';
import {
  actionName,
  DROP_CONNECTION,
  errorResponse,
  parseJson,
  type Reply,
  regionFromAuthorization,
  requireJsonObject,
  successResponse,
  type WireResponse,
} from './protocol';
import type { Services } from './services';
import { addUserPoolClientSecret } from './targets/add-user-pool-client-secret';
import { adminConfirmSignUp } from './targets/admin-confirm-sign-up';
import { adminGetUser } from './targets/admin-get-user';
import { adminUpdateUserAttributes } from './targets/admin-update-user-attributes';
import { confirmForgotPassword } from './targets/confirm-forgot-password';
import { confirmSignUp } from './targets/confirm-sign-up';
import { createUserPool } from './targets/create-user-pool';
import { createUserPoolClient } from './targets/create-user-pool-client';
import { deleteUserPoolClientSecret } from './targets/delete-user-pool-client-secret';
import { forgotPassword } from './targets/forgot-password';
import { initiateAuth } from './targets/initiate-auth';
import { listUserPoolClientSecrets } from './targets/list-user-pool-client-secrets';
import { resendConfirmationCode } from './targets/resend-confirmation-code';
import { signUp } from './targets/sign-up';
import type { JsonObject, RecordedCall, RequestContext } from './types';

type Target = (body: JsonObject, services: Services, context: RequestContext) => unknown;

const TARGETS: Readonly<Record<string, Target>> = {
  AddUserPoolClientSecret: addUserPoolClientSecret,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminGetUser: adminGetUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  CreateUserPool: createUserPool,
  CreateUserPoolClient: createUserPoolClient,
  DeleteUserPoolClientSecret: deleteUserPoolClientSecret,
  ForgotPassword: forgotPassword,
  // The stand-in's sign-in check for tests (USER_PASSWORD_AUTH only); see the target.
  InitiateAuth: initiateAuth,
  ListUserPoolClientSecrets: listUserPoolClientSecrets,
  ResendConfirmationCode: resendConfirmationCode,
  SignUp: signUp,
};

// The action names the stand-in serves.
export const ACTIONS: readonly string[] = Object.keys(TARGETS);

export const RECORDED_CALLS_CAPACITY = 1000;

export interface ActionRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  // Aborted when the caller has gone away, so a delayed answer stops waiting (and holding a timer) for nobody.
  signal?: AbortSignal;
}

// Without a fault policy every call is answered; with one, a call may instead end in a dropped connection.
export function dispatch(request: ActionRequest, services: Services): Promise<WireResponse>;
export function dispatch(request: ActionRequest, services: Services, faults: FaultPolicy): Promise<Reply>;
export async function dispatch(
  request: ActionRequest,
  services: Services,
  faults?: FaultPolicy,
): Promise<Reply> {
  const target = headerValue(request.headers['x-amz-target']) ?? '';
  const action = actionName(target);
  const parsed = parseJson(request.rawBody);
  record(services.calls, {
    target,
    action,
    headers: request.headers,
    body: parsed,
    rawBody: request.rawBody,
  });

  const decision = faults?.decide(action);
  if (decision) {
    if (decision.delayMs > 0 && !(await waitFor(decision.delayMs, request.signal))) return DROP_CONNECTION;
    if (decision.fault) return faultReply(decision.fault);
  }

  try {
    const run = Object.hasOwn(TARGETS, action) ? TARGETS[action] : undefined;
    if (!run) throw new CognitoError('UnknownOperationException', `Unknown operation ${target || '(none)'}`);
    const body = requireJsonObject(parsed);
    const context: RequestContext = {
      region: regionFromAuthorization(headerValue(request.headers.authorization)),
    };
    return successResponse(await runTarget(run, body, services, context));
  } catch (error) {
    if (error instanceof CognitoError) return errorResponse(error);
    services.log(`[local-cognito] internal error in ${action || target}: ${String(error)}`);
    return errorResponse(internalError());
  }
}

// True once `ms` have passed; false as soon as the caller has gone away (then there is no one to answer).
async function waitFor(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}

async function runTarget(run: Target, body: JsonObject, services: Services, context: RequestContext) {
  return run(body, services, context);
}

function record(calls: RecordedCall[], call: RecordedCall): void {
  calls.push(call);
  if (calls.length > RECORDED_CALLS_CAPACITY) calls.splice(0, calls.length - RECORDED_CALLS_CAPACITY);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
