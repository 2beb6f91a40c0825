// Where limit counters and destination links live: in process memory, or in Redis (REDIS_URL) so that
// several gateway instances enforce one global limit, with a memory shadow for Redis outages. The stores
// themselves are in store/, one job per module; callers import them from here.
export type { LimiterStore } from './store/contract';
export { memoryLimiterStore } from './store/memory-store';
export { redisLimiterStore } from './store/redis-store';
