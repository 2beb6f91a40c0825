// The Cognito settings: local mode (the embedded stand-in) or a remote pool, its region, client id and secret,
// judged by Cognito's formats or, against an emulator's endpoint, loosely.
import { Secret } from '../secret';
import type { Env } from './env-schema';
import {
  AWS_DNS_SUFFIXES,
  CLIENT_SECRET,
  COGNITO_VARIABLES,
  EMULATOR_DEFAULT_REGION,
  EMULATOR_RULE,
  EMULATOR_VALUE,
  REGION,
  USER_POOL_ID,
} from './formats';
import { readSecretVariable } from './secret-variables';
import type { Config, ReadFile } from './types';

/** Local mode with no COGNITO_* variables outside production; otherwise the remote pool, every problem reported. */
export function cognitoSettings(
  e: Env,
  env: Record<string, string | undefined>,
  isProduction: boolean,
  reported: ReadonlySet<string>,
  readFile: ReadFile,
  report: (problem: string) => void,
): Config['cognito'] {
  const anyCognito = COGNITO_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  if (!anyCognito && !isProduction) return { mode: 'local', port: e.LOCAL_COGNITO_PORT };
  {
    // Against an emulator, Cognito's formats would refuse its credentials (moto's secrets are UUIDs,
    // cognito-local's pool ids name no region). A malformed endpoint is judged loosely too: it is reported
    // already, and nothing should be reported only because of it.
    const nonAwsEndpoint = reported.has('COGNITO_ENDPOINT') || isNonAwsEndpoint(e.COGNITO_ENDPOINT);
    const userPoolId = e.COGNITO_USER_POOL_ID;
    if (userPoolId !== undefined && !(nonAwsEndpoint ? EMULATOR_VALUE : USER_POOL_ID).test(userPoolId)) {
      report(
        nonAwsEndpoint
          ? `COGNITO_USER_POOL_ID: must be a user pool id (${EMULATOR_RULE})`
          : 'COGNITO_USER_POOL_ID: must be a user pool id such as eu-west-1_AbC123xyZ',
      );
    }
    const clientSecret = readClientSecret(
      e.COGNITO_CLIENT_SECRET,
      e.COGNITO_CLIENT_SECRET_FILE,
      nonAwsEndpoint,
      readFile,
      report,
    );
    const poolPrefix = userPoolId?.slice(0, Math.max(0, userPoolId.lastIndexOf('_')));
    const poolRegion = poolPrefix && REGION.test(poolPrefix) ? poolPrefix : undefined;
    const region = e.COGNITO_REGION ?? poolRegion ?? (nonAwsEndpoint ? EMULATOR_DEFAULT_REGION : undefined);
    if (!e.COGNITO_CLIENT_ID) {
      report(
        isProduction
          ? 'COGNITO_CLIENT_ID: is required in production'
          : 'COGNITO_CLIENT_ID: is required once any COGNITO_* variable is set (unset them all to use the local stand-in)',
      );
    }
    if (!region) {
      report(
        userPoolId
          ? 'COGNITO_REGION: is required (COGNITO_USER_POOL_ID names no region)'
          : 'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
      );
    }
    if (!nonAwsEndpoint && e.COGNITO_REGION && poolRegion && e.COGNITO_REGION !== poolRegion) {
      report('COGNITO_USER_POOL_ID: belongs to another region than COGNITO_REGION');
    }
    const cognito: Config['cognito'] = {
      mode: 'remote',
      nonAwsEndpoint,
      region: region ?? '',
      clientId: e.COGNITO_CLIENT_ID ?? '',
      ...(userPoolId && { userPoolId }),
      ...(clientSecret && { clientSecret }),
      ...(clientSecret && e.COGNITO_CLIENT_SECRET_FILE && { clientSecretFile: e.COGNITO_CLIENT_SECRET_FILE }),
      ...(e.COGNITO_ENDPOINT && { endpoint: e.COGNITO_ENDPOINT }),
    };
    if (e.COGNITO_LOOKUP_USERS && !userPoolId) {
      report('COGNITO_LOOKUP_USERS: needs COGNITO_USER_POOL_ID (AdminGetUser names the pool)');
    }
    if (e.SEND_USER_CONTEXT_IP && !clientSecret) {
      report(
        'SEND_USER_CONTEXT_IP: needs a client secret (Cognito accepts IpAddress only from clients with one)',
      );
    }
    return cognito;
  }
}

/** No endpoint means AWS's own; otherwise whether the URL's host lies outside every AWS partition. */
function isNonAwsEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return true;
  }
  return !AWS_DNS_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

function readClientSecret(
  inline: string | undefined,
  file: string | undefined,
  nonAwsEndpoint: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): Secret | undefined {
  const given = readSecretVariable(
    { inline: 'COGNITO_CLIENT_SECRET', file: 'COGNITO_CLIENT_SECRET_FILE' },
    inline,
    file,
    readFile,
    report,
  );
  if (given === undefined) return undefined;
  const problem = clientSecretProblem(given.value, given.from, nonAwsEndpoint);
  if (problem !== undefined) {
    report(problem);
    return undefined;
  }
  return new Secret(given.value);
}

/**
 * Why `value` (from the variable `from`) is not a client secret, or undefined when it is one. Start-up and
 * the reloading source (src/cognito/client-secret-source.ts) judge a secret by this one rule. Never names the value.
 */
export function clientSecretProblem(
  value: string,
  from: string,
  nonAwsEndpoint: boolean,
): string | undefined {
  if ((nonAwsEndpoint ? EMULATOR_VALUE : CLIENT_SECRET).test(value)) return undefined;
  return nonAwsEndpoint
    ? `${from}: is not a client secret (${EMULATOR_RULE})`
    : `${from}: is not an app client secret (24 to 64 letters, digits, + and _)`;
}
