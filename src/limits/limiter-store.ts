// Where limit counters and destination links live: in process memory, bounded in bytes, or in Redis
// (REDIS_URL) so that several gateway instances enforce one global limit, with a memory shadow for Redis
// outages. The stores themselves are in store/, one job per module; callers import them from here.
export type { Clock, LimiterStore, MemoryBackedStore, MemoryEvent, MemoryUse } from './store/contract';
export { DEFAULT_MEMORY_MAX_BYTES, type MemoryStoreOptions, memoryLimiterStore } from './store/memory-store';
export { redisLimiterStore } from './store/redis-store';
