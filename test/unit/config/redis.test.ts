import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig, problemsOf, REMOTE } from './support';

const redisOf = (env: Record<string, string>) => loadConfig({ ...REMOTE, ...env }).limits.redis;
const problems = (env: Record<string, string>) => problemsOf({ ...REMOTE, ...env });

describe('REDIS_MODE, REDIS_URL and REDIS_SENTINEL_NAME', () => {
  it('reads one node by default, as before (its port 6379 unless given, its database when not 0)', () => {
    expect(redisOf({ REDIS_URL: 'redis://redis.internal' })).toEqual({
      mode: 'single',
      nodes: [{ host: 'redis.internal', port: 6379 }],
      tls: false,
    });
    expect(redisOf({ REDIS_URL: 'rediss://cache.example.com:6380/2' })).toEqual({
      mode: 'single',
      nodes: [{ host: 'cache.example.com', port: 6380 }],
      tls: true,
      db: 2,
    });
  });

  it("reads a cluster's seed nodes, with TLS and the ACL user and password given once", () => {
    const redis = redisOf({
      REDIS_MODE: 'cluster',
      REDIS_URL: 'rediss://gateway:p%40ss%2Cword@host1:6379, rediss://host2:6380,rediss://[::1]:7000',
    });
    expect(redis).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'host1', port: 6379 },
        { host: 'host2', port: 6380 },
        { host: '::1', port: 7000 },
      ],
      tls: true,
      username: 'gateway',
    });
    expect(redis?.password?.reveal()).toBe('p@ss,word');
  });

  it('reads the sentinels (port 26379 unless given) and the master name they monitor', () => {
    expect(
      redisOf({
        REDIS_MODE: 'sentinel',
        REDIS_URL: 'redis://:secret@sentinel-a,redis://sentinel-b:26380/1',
        REDIS_SENTINEL_NAME: 'mymaster',
      }),
    ).toMatchObject({
      mode: 'sentinel',
      nodes: [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
      ],
      tls: false,
      db: 1,
      sentinelName: 'mymaster',
    });
  });

  it('keeps the password out of anything that prints the configuration', () => {
    const config = loadConfig({ ...REMOTE, REDIS_URL: 'redis://gateway:hunter2-secret@redis.internal:6379' });
    expect(JSON.stringify(config)).not.toContain('hunter2-secret');
    expect(inspect(config, { depth: 10 })).not.toContain('hunter2-secret');
  });

  it('says in one line per variable what is wrong, never echoing the value', () => {
    const secret = 'hunter2-secret';
    const cases: Array<[Record<string, string>, string]> = [
      [
        { REDIS_URL: `localhost:${secret}` },
        'REDIS_URL: must be redis:// or rediss:// URLs ([user:password@]host[:port][/database]), comma-separated',
      ],
      [
        { REDIS_URL: `redis://u:${secret}@a:6379,redis://b:6379` },
        'REDIS_URL: holds a comma, so several URLs; a list of nodes needs REDIS_MODE=cluster or REDIS_MODE=sentinel (a comma in the password is written %2C)',
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_URL: `rediss://u:${secret}@a:6379,redis://b:6379` },
        'REDIS_URL: mixes redis:// and rediss:// (TLS is for every node or none)',
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_URL: `redis://u:${secret}@a:6379,redis://u:other@b:6379` },
        'REDIS_URL: gives different credentials to different nodes (give them once, on any node)',
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_URL: `redis://u:${secret}@a:6379/3` },
        'REDIS_URL: a cluster has database 0 only (drop the /<database> path)',
      ],
      [
        { REDIS_URL: `redis://u:${secret}@a:6379/?tls=true` },
        'REDIS_URL: takes no ?query or #fragment (TLS is rediss://, the user and password go before @)',
      ],
      [
        { REDIS_URL: `redis://u:${secret}@a:6379/db` },
        'REDIS_URL: may end in /<database number> and nothing else',
      ],
      [
        { REDIS_MODE: 'shard', REDIS_URL: 'redis://a' },
        'REDIS_MODE: must be one of single, cluster, sentinel',
      ],
      [{ REDIS_MODE: 'cluster' }, 'REDIS_MODE: set only with REDIS_URL'],
      [
        { REDIS_MODE: 'sentinel', REDIS_URL: 'redis://a' },
        'REDIS_SENTINEL_NAME: required with REDIS_MODE=sentinel (the master name the sentinels monitor)',
      ],
      [
        { REDIS_URL: 'redis://a', REDIS_SENTINEL_NAME: 'mymaster' },
        'REDIS_SENTINEL_NAME: set only with REDIS_MODE=sentinel',
      ],
    ];
    for (const [env, problem] of cases) {
      expect({ env, problems: problems(env) }).toEqual({ env, problems: [problem] });
      expect(problems(env).join('\n')).not.toContain(secret);
    }
  });
});
