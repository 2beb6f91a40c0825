// The answer every counter gives, in memory or in Redis: rate-limiter-flexible's RateLimiterRes, so that the
// abuse limiter reads both alike and the fail-over can compare them. Loaded from its own file: the package
// index loads every store the package supports (Mongo, SQL, Dynamo, ...).
import type { RateLimiterRes as Res } from 'rate-limiter-flexible';

export const RateLimiterRes = require('rate-limiter-flexible/lib/RateLimiterRes') as typeof Res;
export type RateLimiterRes = Res;
