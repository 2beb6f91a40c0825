// Time source for the stand-in. Injected so tests can move time forward (e.g. past a code's 24-hour life)
// without waiting or faking timers globally.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// The AWS JSON protocol carries timestamps as epoch seconds (fractional), not ISO strings.
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
