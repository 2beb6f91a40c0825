// How the gateway reaches Redis: REDIS_MODE (single, cluster, sentinel), REDIS_URL (one URL, or a
// comma-separated list of the cluster's seed nodes or of the sentinels) and REDIS_SENTINEL_NAME, checked
// together. TLS and the ACL user and password come from the URLs; the password is kept as a Secret, so that it
// prints as [redacted] wherever the settings end up. Values are never echoed in a problem.
import { Secret } from '../secret';
import type { RedisMode, RedisNode, RedisSettings } from './types';

export interface RedisVariables {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_MODE?: RedisMode | undefined;
  readonly REDIS_SENTINEL_NAME?: string | undefined;
}

const DEFAULT_PORT: Record<RedisMode, number> = { single: 6379, cluster: 6379, sentinel: 26379 };

/** One entry of REDIS_URL, or why it is not one (never with the value). */
type Parsed =
  | {
      node: RedisNode;
      tls: boolean;
      username: string | undefined;
      password: string | undefined;
      db: number | undefined;
    }
  | { problem: string };

/** The settings of REDIS_*, or undefined when REDIS_URL is unset or a problem was reported. */
export function redisSettings(
  e: RedisVariables,
  reported: ReadonlySet<string>,
  report: (problem: string) => void,
): RedisSettings | undefined {
  const mode = e.REDIS_MODE ?? 'single';
  if (e.REDIS_URL === undefined) {
    if (e.REDIS_MODE !== undefined) report('REDIS_MODE: set only with REDIS_URL');
    if (e.REDIS_SENTINEL_NAME !== undefined) report('REDIS_SENTINEL_NAME: set only with REDIS_URL');
    return undefined;
  }
  if (reported.has('REDIS_URL') || reported.has('REDIS_MODE')) return undefined;
  if (mode === 'sentinel' && e.REDIS_SENTINEL_NAME === undefined) {
    report('REDIS_SENTINEL_NAME: required with REDIS_MODE=sentinel (the master name the sentinels monitor)');
    return undefined;
  }
  if (mode !== 'sentinel' && e.REDIS_SENTINEL_NAME !== undefined) {
    report('REDIS_SENTINEL_NAME: set only with REDIS_MODE=sentinel');
    return undefined;
  }

  const entries = e.REDIS_URL.split(',').map((s) => s.trim());
  if (mode === 'single' && entries.length > 1) {
    report(
      'REDIS_URL: holds a comma, so several URLs; a list of nodes needs REDIS_MODE=cluster or REDIS_MODE=sentinel (a comma in the password is written %2C)',
    );
    return undefined;
  }
  const parsed = entries.map((entry) => parseEntry(entry, DEFAULT_PORT[mode]));
  const nodes = [];
  for (const p of parsed) {
    if ('problem' in p) {
      report(`REDIS_URL: ${p.problem}`);
      return undefined;
    }
    nodes.push(p);
  }
  const tls = nodes.every((n) => n.tls);
  if (!tls && nodes.some((n) => n.tls)) {
    report('REDIS_URL: mixes redis:// and rediss:// (TLS is for every node or none)');
    return undefined;
  }
  const credentials = new Set(
    nodes.filter((n) => n.username || n.password).map((n) => `${n.username ?? ''}\n${n.password ?? ''}`),
  );
  if (credentials.size > 1) {
    report('REDIS_URL: gives different credentials to different nodes (give them once, on any node)');
    return undefined;
  }
  const dbs = new Set(nodes.flatMap((n) => (n.db === undefined ? [] : [n.db])));
  if (mode === 'cluster' && [...dbs].some((db) => db !== 0)) {
    report('REDIS_URL: a cluster has database 0 only (drop the /<database> path)');
    return undefined;
  }
  if (dbs.size > 1) {
    report('REDIS_URL: names different databases on different nodes (give it once, on any node)');
    return undefined;
  }
  const withCredentials = nodes.find((n) => n.username || n.password);
  const [db] = dbs;
  return {
    mode,
    nodes: nodes.map((n) => n.node),
    tls,
    ...(withCredentials?.username && { username: withCredentials.username }),
    ...(withCredentials?.password && { password: new Secret(withCredentials.password) }),
    ...(db !== undefined && db !== 0 && { db }),
    ...(mode === 'sentinel' && e.REDIS_SENTINEL_NAME && { sentinelName: e.REDIS_SENTINEL_NAME }),
  };
}

function parseEntry(entry: string, defaultPort: number): Parsed {
  const format =
    'must be redis:// or rediss:// URLs ([user:password@]host[:port][/database]), comma-separated';
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: format };
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    return { problem: format };
  }
  if (url.search !== '' || url.hash !== '') {
    return { problem: 'takes no ?query or #fragment (TLS is rediss://, the user and password go before @)' };
  }
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) {
    return { problem: 'may end in /<database number> and nothing else' };
  }
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = url.username === '' ? undefined : decodeURIComponent(url.username);
    password = url.password === '' ? undefined : decodeURIComponent(url.password);
  } catch {
    return { problem: 'has a user or password that is not valid percent-encoding' };
  }
  return {
    // An IPv6 host comes bracketed ([::1]); a socket wants it bare.
    node: {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? defaultPort : Number(url.port),
    },
    tls: url.protocol === 'rediss:',
    username,
    password,
    db: path === '' ? undefined : Number(path),
  };
}
