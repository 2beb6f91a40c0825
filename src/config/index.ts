// Configuration: the typed Config (types.ts), read once from the environment by loadConfig (load-config.ts)
// through one schema (env-schema.ts), one module per concern: Cognito, the challenge, trusted documents, limits,
// the session cookie.

export { clientSecretProblem } from './cognito';
export { configVariables } from './env-schema';
export { MAX_CHALLENGE_COST } from './formats';
export { ConfigError, loadConfig, logConfigWarnings, startUpFailure } from './load-config';
export { secretFileValue } from './secret-variables';
export { parseSessionKeys, SESSION_COOKIE_ACTIONS } from './session';
export * from './types';
