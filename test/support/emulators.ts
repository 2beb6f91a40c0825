// The Cognito emulators the gateway is checked against, as one table: how to start each, the ids and secrets
// it issues, and where it falls short of Cognito. The compatibility suites (test/integration and test/e2e
// `emulator-compatibility.test.ts`) run the same checks against every row; a check that a row's gaps rule out
// is skipped for that row. An emulator that is not installed skips its suites with one loud line (see
// moto-server.ts and cognito-local-server.ts); one that is installed but broken fails them.
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type ErrorCode } from '../../src/errors';
import { skipWithoutCognitoLocal, startCognitoLocal } from './cognito-local-server';
import { skipWithoutMoto, startMoto } from './moto-server';

/** An emulator started for a suite. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint` and COGNITO_ENDPOINT. */
  url: string;
  /** Its output lines so far. */
  output(): string[];
  /** The directory it keeps its data in, when it keeps any on disk. */
  dataDirectory?: string;
  stop(): Promise<void>;
}

/** How an emulator answers ResendConfirmationCode, which neither implements. */
export interface UnimplementedAnswer {
  status: number;
  contentType: string;
  /** Its whole JSON body, or a piece of its text body. */
  body: { json: unknown } | { contains: string };
  /** What it writes to its own output about the call, if anything. */
  logs?: string;
}

export interface Emulator {
  name: 'moto' | 'cognito-local';
  /** For `describe.skipIf`: true, after printing `*** SKIPPED <suite>: <reason> ***`, when it is not installed. */
  unavailable(suite: string): boolean;
  start(): Promise<RunningEmulator>;
  /** What the gateway is given beside COGNITO_ENDPOINT, the pool id, the client id and the secret. */
  gatewayEnv: Record<string, string>;
  /** The pool ids and client secrets it issues, which Cognito's formats would refuse. */
  poolId: RegExp;
  clientSecret: RegExp;
  /** The destination CodeDeliveryDetails names for a code sent to `email`. */
  deliveredTo(email: string): string;
  /** A code that confirms a sign-up. */
  confirmationCode: string;
  /** Whether it refuses a wrong code (CodeMismatchException). */
  checksCodes: boolean;
  /** The gateway's answer to confirming a user that does not exist (Cognito: USER_NOT_FOUND). */
  unknownUserConfirmed: ErrorCode;
  /** The gateway's answer to confirming a confirmed user again, when the emulator refuses it. */
  confirmedAgain?: ErrorCode;
  /** Whether it refuses a password that breaks the pool's policy (InvalidPasswordException). */
  checksPasswordPolicy: boolean;
  /**
   * Whether a password can be reset through it as through Cognito: ForgotPassword refuses an unknown user and
   * sends a code the test knows, ConfirmForgotPassword checks it, and USER_PASSWORD_AUTH signs in.
   */
  resetsPasswords: boolean;
  resendConfirmationCode: UnimplementedAnswer;
  /** Whether it keeps its pools in files (then in RunningEmulator.dataDirectory) rather than in memory. */
  keepsDataOnDisk: boolean;
  /**
   * Sign-in through the gateway with the flows it has (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH): the gateway's
   * answer (`OK` or the code) to a refresh and a sign-out with the cookie, and to a wrong password.
   */
  signIn: { refresh: string; signOut: string; wrongPassword: ErrorCode };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** cognito-local's CODE: every code it generates is this one. */
const COGNITO_LOCAL_CODE = '246810';

export const EMULATORS: readonly Emulator[] = [
  // The Python `moto` server (5.2), read from moto/cognitoidp/{models,responses}.py and checked with curl:
  // - SignUp creates the user UNCONFIRMED and answers UserConfirmed, UserSub and, for an auto-verified email,
  //   CodeDeliveryDetails masked like Cognito (`j***@e***`). It enforces the pool's password policy
  //   (InvalidPasswordException) and unique usernames (UsernameExistsException). It ignores the SecretHash.
  // - ConfirmSignUp ignores the ConfirmationCode (and the SecretHash) altogether: it looks the user up
  //   (UserNotFoundException if unknown) and sets CONFIRMED. moto generates no code and sends nothing, so any
  //   code confirms, a wrong one cannot give CodeMismatchException, and no password reset can be completed.
  //   Confirming a confirmed user again succeeds too (Cognito would refuse).
  // - ForgotPassword answers an unknown user 200 with made-up CodeDeliveryDetails (`ghost@h***.com`), and for
  //   a real one puts the code in an `x-moto-forgot-password-confirmation-code` header the gateway drops.
  // - ResendConfirmationCode is not implemented: NotImplementedError, which werkzeug answers with its stock
  //   HTML 500 page, an answer the SDK cannot parse, like a proxy's error page.
  // - Public calls are unsigned (as the gateway sends them) and routed by X-Amz-Target; admin calls are signed
  //   with dummy credentials, which moto accepts without checking.
  // - The app client's secret is a UUID (with hyphens), which Cognito never issues; pool ids are
  //   `us-east-1_<letters and digits>`.
  {
    name: 'moto',
    unavailable: skipWithoutMoto,
    start: startMoto,
    gatewayEnv: { COGNITO_REGION: 'us-east-1' },
    poolId: /^us-east-1_[0-9a-zA-Z]+$/,
    clientSecret: UUID,
    deliveredTo: (email) => `${email[0]}***@${email.split('@')[1]?.[0]}***`,
    confirmationCode: '123456',
    checksCodes: false,
    unknownUserConfirmed: 'USER_NOT_FOUND',
    checksPasswordPolicy: true,
    resetsPasswords: false,
    resendConfirmationCode: {
      status: 500,
      contentType: 'text/html; charset=utf-8',
      body: { contains: '<title>500 Internal Server Error</title>' },
      logs: 'NotImplementedError: The resend_confirmation_code action has not been implemented',
    },
    keepsDataOnDisk: false,
    // InitiateAuth USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH work (SECRET_HASH unchecked); RevokeToken is not
    // implemented (werkzeug's HTML 500), so signOut answers UPSTREAM_UNAVAILABLE and keeps the cookie.
    signIn: { refresh: 'OK', signOut: 'UPSTREAM_UNAVAILABLE', wrongPassword: 'NOT_AUTHORIZED' },
  },
  // cognito-local 5.3 (npm `cognito-local`, jagregory's TypeScript emulator), read from its lib/ and checked
  // over HTTP:
  // - CreateUserPool gives ids `local_<8 letters and digits>`, naming no region (so COGNITO_REGION defaults);
  //   CreateUserPoolClient with GenerateSecret gives a secret of lower-case letters and digits (short-uuid).
  //   Pools take email addresses as usernames unless told otherwise (UsernameAttributes ["email"]).
  // - SignUp creates the user UNCONFIRMED and prints a "Confirmation Code Delivery" box with the code on its
  //   console (random, or its CODE variable: fixed here, as the box can lag behind the answer); it answers the
  //   destination unmasked, ignores the SecretHash and the password policy, and refuses a taken username.
  // - ConfirmSignUp compares the code. Unknown users get NotAuthorizedException (Cognito:
  //   UserNotFoundException); a confirmed user has no code any more, so confirming again is
  //   ExpiredCodeException (Cognito: NotAuthorizedException, "Current status is CONFIRMED").
  // - ResendConfirmationCode is not implemented: a JSON 500 `CognitoLocal#Unsupported`.
  // - ForgotPassword sends the code (its CODE) by EMAIL whatever the pool says, answers the destination unmasked
  //   and UserNotFoundException for an unknown user. ConfirmForgotPassword compares the code, then sets the
  //   password without checking the pool's policy, never expires the code and counts no wrong attempts.
  // - InitiateAuth supports USER_PASSWORD_AUTH and ignores the SECRET_HASH; a wrong password is
  //   InvalidPasswordException (Cognito: NotAuthorizedException, "Incorrect username or password.").
  {
    name: 'cognito-local',
    unavailable: skipWithoutCognitoLocal,
    start: async () => {
      const server = await startCognitoLocal({ code: COGNITO_LOCAL_CODE });
      return { ...server, dataDirectory: server.cwd };
    },
    gatewayEnv: {},
    poolId: /^local_[0-9a-zA-Z]{8}$/,
    clientSecret: /^[0-9a-z]+$/,
    deliveredTo: (email) => email,
    confirmationCode: COGNITO_LOCAL_CODE,
    checksCodes: true,
    unknownUserConfirmed: 'NOT_AUTHORIZED',
    confirmedAgain: 'CODE_EXPIRED',
    checksPasswordPolicy: false,
    resetsPasswords: true,
    resendConfirmationCode: {
      status: 500,
      contentType: 'application/json; charset=utf-8',
      body: {
        json: {
          __type: 'CognitoLocal#Unsupported',
          message:
            'Cognito Local unsupported feature: Unsupported x-amz-target header "ResendConfirmationCode"',
        },
      },
    },
    keepsDataOnDisk: true,
    // USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH and RevokeToken work; a wrong password is its
    // InvalidPasswordException (see above), which the gateway answers INVALID_PASSWORD.
    signIn: { refresh: 'OK', signOut: 'OK', wrongPassword: 'INVALID_PASSWORD' },
  },
];

/** Admin calls to an emulator: signed, with credentials it does not check. */
export function adminClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A pool that auto-verifies email and an app client with a secret, made as a user would with the AWS CLI. */
export async function createPoolAndClient(admin: CognitoIdentityProviderClient, poolName: string) {
  const { UserPool } = await admin.send(
    new CreateUserPoolCommand({ PoolName: poolName, AutoVerifiedAttributes: ['email'] }),
  );
  const poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'gateway', GenerateSecret: true }),
  );
  return {
    poolId,
    clientId: UserPoolClient?.ClientId ?? '',
    clientSecret: UserPoolClient?.ClientSecret ?? '',
  };
}
