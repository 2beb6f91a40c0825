// In-memory user pools, app clients and users for one stand-in instance. Plain data access only: the
// Cognito rules (and their errors) live in the targets.
import type { AppClient, User, UserPool } from './types';

interface PoolRecord {
  pool: UserPool;
  users: Map<string, User>;
}

export class Store {
  private readonly pools = new Map<string, PoolRecord>();
  private readonly clients = new Map<string, AppClient>();

  addPool(pool: UserPool): void {
    if (this.pools.has(pool.id)) throw new Error(`User pool ${pool.id} already exists`);
    this.pools.set(pool.id, { pool, users: new Map() });
  }

  getPool(poolId: string): UserPool | undefined {
    return this.pools.get(poolId)?.pool;
  }

  addClient(client: AppClient): void {
    if (!this.pools.has(client.poolId)) throw new Error(`User pool ${client.poolId} does not exist`);
    if (this.clients.has(client.clientId))
      throw new Error(`User pool client ${client.clientId} already exists`);
    this.clients.set(client.clientId, client);
  }

  /** Replaces a client that exists (e.g. with its secrets rotated). */
  replaceClient(client: AppClient): void {
    if (!this.clients.has(client.clientId))
      throw new Error(`User pool client ${client.clientId} does not exist`);
    this.clients.set(client.clientId, client);
  }

  getClient(clientId: string): AppClient | undefined {
    return this.clients.get(clientId);
  }

  findUser(poolId: string, username: string): User | undefined {
    const record = this.pools.get(poolId);
    return record?.users.get(userKey(record.pool, username));
  }

  /** Every user of a pool, in no particular order (empty for an unknown pool). */
  usersOf(poolId: string): Iterable<User> {
    return this.pools.get(poolId)?.users.values() ?? [];
  }

  addUser(poolId: string, user: User): void {
    const record = this.pools.get(poolId);
    if (!record) throw new Error(`User pool ${poolId} does not exist`);
    const key = userKey(record.pool, user.username);
    if (record.users.has(key)) throw new Error(`User ${user.username} already exists`);
    record.users.set(key, user);
  }
}

function userKey(pool: UserPool, username: string): string {
  return pool.usernameCaseSensitive ? username : username.toLowerCase();
}
