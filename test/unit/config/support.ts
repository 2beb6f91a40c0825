// What the configuration tests share: a remote pool's variables, and loadConfig as main.ts calls it.
import { ConfigError, loadConfig as loadWithCalls } from '../../../src/config';
import { USER_POOL_CALL_LIMITS } from '../../../src/user-pool-calls/registry';
import { thrownBy } from '../../support/thrown';

export const REMOTE = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
  COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
  COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
};
/** A session key, for the configurations that serve sign-in in production (SESSION_KEYS is required there). */
export const TEST_SESSION_KEYS = { SESSION_KEYS: 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=' };
/** A remote pool in production, with the session key that sign-in needs there. */
export const PRODUCTION_REMOTE = { NODE_ENV: 'production', ...REMOTE, ...TEST_SESSION_KEYS };
/** What moto's CreateUserPoolClient gives for GenerateSecret: a UUID, which Cognito itself never issues. */
export const MOTO_SECRET = '2f6c6b6e-3d0a-4c8e-9a55-1d5c2b7e8f90';

/** The configuration as main.ts reads it: with the registry's calls. */
export function loadConfig(env: Record<string, string | undefined>, readFile?: (p: string) => string) {
  return loadWithCalls(env, USER_POOL_CALL_LIMITS, readFile);
}

export function problemsOf(env: Record<string, string>, readFile?: (p: string) => string): string[] {
  return thrownBy(ConfigError, () => loadConfig(env, readFile)).problems;
}
