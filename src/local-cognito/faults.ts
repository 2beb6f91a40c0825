// Deliberate misbehaviour for the gateway's reliability tests: latency, throttling, 5xx answers, a load
// balancer's HTML error page and dropped connections, picked per call by a seeded random source so a test's
// fault sequence replays exactly. Also keeps the per-outcome counters tests assert on.
//
// How a call's fault is picked: calls to actions outside `actions` are never touched. Every other call
// takes exactly two draws from the seeded source. The first picks the fault by cumulative ranges, in this
// order: [0, dropRate) drops, the next htmlErrorRate answers an HTML page, the next serverErrorRate answers
// InternalErrorException, the next throttleRate answers TooManyRequestsException, and the rest is served
// normally. So each rate is exactly that fault's share of calls, and the rates may add up to at most 1. The
// second draw picks the jitter; it is taken even when there is no jitter, so switching jitter on or off does
// not change which calls a seed faults.
import { randomInt } from 'node:crypto';
import { internalError, rateExceeded } from './errors';
import { DROP_CONNECTION, errorResponse, type Reply } from './protocol';
import { mulberry32, type Random } from './random';
import { isJsonObject } from './validation';

export interface FaultSettings {
  // Delay before answering (or dropping), in milliseconds, 0..60000.
  latencyMs?: number;
  // Extra delay per call, drawn uniformly from 0..latencyJitterMs.
  latencyJitterMs?: number;
  // Shares of calls (each 0..1, together at most 1) given each fault.
  throttleRate?: number;
  serverErrorRate?: number;
  htmlErrorRate?: number;
  dropRate?: number;
  // Action names (e.g. 'ResendConfirmationCode') the settings apply to; every action when absent.
  actions?: string[];
  // Seed of the random source; one is chosen (and reported by current()) when absent.
  seed?: number;
}

export interface FaultStats {
  // Every call that arrived, faulted or not: the sum of the outcomes below.
  total: number;
  // Served by the action's target, whose answer may still be a Cognito error such as UserNotFoundException.
  ok: number;
  throttled: number;
  serverError: number;
  htmlError: number;
  dropped: number;
}

// The face tests steer the faults through, in process (`LocalCognito.faults`) or over /_local/faults.
export interface FaultControls {
  // Replaces the settings in force (it does not merge), restarting the random source from the seed.
  // Throws FaultSettingsError, changing nothing, when the settings are invalid.
  set(settings: FaultSettings): void;
  // Back to normal service. The counters keep counting; resetStats() zeroes them.
  clear(): void;
  // The settings in force, including the seed chosen when none was given; {} after clear().
  current(): FaultSettings;
  stats(): FaultStats;
  resetStats(): void;
}

export type Fault = 'drop' | 'htmlError' | 'serverError' | 'throttle';

export interface FaultDecision {
  fault?: Fault;
  delayMs: number;
}

// What dispatch needs: a decision per call. Deciding also counts the call.
export interface FaultPolicy {
  decide(action: string): FaultDecision;
}

export class FaultSettingsError extends Error {
  override readonly name = 'FaultSettingsError';
}

export const MAX_LATENCY_MS = 60_000;

type RateKey = 'dropRate' | 'htmlErrorRate' | 'serverErrorRate' | 'throttleRate';

// The decision order described above.
const FAULT_ORDER: ReadonlyArray<readonly [Fault, RateKey]> = [
  ['drop', 'dropRate'],
  ['htmlError', 'htmlErrorRate'],
  ['serverError', 'serverErrorRate'],
  ['throttle', 'throttleRate'],
];

const OUTCOME: Readonly<Record<Fault, Exclude<keyof FaultStats, 'total' | 'ok'>>> = {
  drop: 'dropped',
  htmlError: 'htmlError',
  serverError: 'serverError',
  throttle: 'throttled',
};

const SETTING_KEYS: readonly (keyof FaultSettings)[] = [
  'latencyMs',
  'latencyJitterMs',
  'throttleRate',
  'serverErrorRate',
  'htmlErrorRate',
  'dropRate',
  'actions',
  'seed',
];

// Floating-point sums such as 0.2 + 0.4 + 0.3 + 0.1 land a hair above 1; that is still "every call".
const RATE_SUM_TOLERANCE = 1e-9;

// Checks settings from any source (the API, JSON over HTTP) and returns a clean copy holding only the
// settings given. Reports every problem at once.
export function validateFaultSettings(input: unknown, knownActions: readonly string[]): FaultSettings {
  if (!isJsonObject(input)) {
    throw new FaultSettingsError(
      `Fault settings must be an object such as {"throttleRate":0.2}, got ${show(input)}.`,
    );
  }
  const problems: string[] = [];
  const settings: FaultSettings = {};
  for (const [key, value] of Object.entries(input)) {
    // An explicit undefined (possible in process, never in JSON) means "not set".
    if (value === undefined) continue;
    if (key === 'latencyMs' || key === 'latencyJitterMs') {
      if (isNumberIn(value, 0, MAX_LATENCY_MS)) settings[key] = value;
      else
        problems.push(
          `${key} must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}, got ${show(value)}`,
        );
    } else if (FAULT_ORDER.some(([, rateKey]) => rateKey === key)) {
      if (isNumberIn(value, 0, 1)) settings[key as RateKey] = value;
      else problems.push(`${key} must be a number from 0 to 1, got ${show(value)}`);
    } else if (key === 'actions') {
      const actions = readActions(value, knownActions, problems);
      if (actions) settings.actions = actions;
    } else if (key === 'seed') {
      if (typeof value === 'number' && Number.isSafeInteger(value)) settings.seed = value;
      else problems.push(`seed must be an integer, got ${show(value)}`);
    } else {
      problems.push(`unknown setting ${JSON.stringify(key)} (known: ${SETTING_KEYS.join(', ')})`);
    }
  }
  const rateSum = FAULT_ORDER.reduce((sum, [, rateKey]) => sum + (settings[rateKey] ?? 0), 0);
  if (rateSum > 1 + RATE_SUM_TOLERANCE) {
    problems.push(
      `the rates add up to ${rateSum}, but they share one draw per call, so together they must be at most 1`,
    );
  }
  if (problems.length > 0) throw new FaultSettingsError(`Invalid fault settings: ${problems.join('; ')}.`);
  return settings;
}

function readActions(
  value: unknown,
  knownActions: readonly string[],
  problems: string[],
): string[] | undefined {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    problems.push(`actions must be a list of action names, got ${show(value)}`);
    return undefined;
  }
  // A misspelt name would silently fault nothing, which reads as "the gateway survived" in a test.
  const unknown = value.filter((name) => !knownActions.includes(name));
  if (unknown.length > 0) {
    problems.push(
      `actions names unknown action(s) ${unknown.map((name) => JSON.stringify(name)).join(', ')} ` +
        `(known: ${knownActions.join(', ')})`,
    );
    return undefined;
  }
  return [...value];
}

function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export interface FaultInjectorDeps {
  // The action names the stand-in serves; settings naming others are refused.
  actions: readonly string[];
  newSeed?: () => number;
  createRandom?: (seed: number) => Random;
  log?: (line: string) => void;
}

export class FaultInjector implements FaultControls, FaultPolicy {
  private settings: FaultSettings = {};
  private random: Random | undefined;
  private counts: FaultStats = zeroStats();

  constructor(private readonly deps: FaultInjectorDeps) {}

  set(settings: FaultSettings): void {
    const valid = validateFaultSettings(settings, this.deps.actions);
    const seed = valid.seed ?? (this.deps.newSeed ?? randomSeed)();
    this.settings = { ...valid, seed };
    this.random = (this.deps.createRandom ?? mulberry32)(seed);
    this.deps.log?.(`[local-cognito] faults set: ${JSON.stringify(this.settings)}`);
  }

  clear(): void {
    const wasSet = this.random !== undefined;
    this.settings = {};
    this.random = undefined;
    if (wasSet) this.deps.log?.('[local-cognito] faults cleared');
  }

  current(): FaultSettings {
    const { actions, ...rest } = this.settings;
    return actions ? { ...rest, actions: [...actions] } : rest;
  }

  stats(): FaultStats {
    return { ...this.counts };
  }

  resetStats(): void {
    this.counts = zeroStats();
  }

  decide(action: string): FaultDecision {
    const decision = this.pick(action);
    this.counts.total++;
    this.counts[decision.fault ? OUTCOME[decision.fault] : 'ok']++;
    return decision;
  }

  private pick(action: string): FaultDecision {
    const { settings, random } = this;
    if (!random || (settings.actions && !settings.actions.includes(action))) return { delayMs: 0 };
    const faultDraw = random();
    const jitterDraw = random();
    const delayMs = (settings.latencyMs ?? 0) + Math.round(jitterDraw * (settings.latencyJitterMs ?? 0));
    let edge = 0;
    for (const [fault, rateKey] of FAULT_ORDER) {
      edge += settings[rateKey] ?? 0;
      if (faultDraw < edge) return { fault, delayMs };
    }
    return { delayMs };
  }
}

function zeroStats(): FaultStats {
  return { total: 0, ok: 0, throttled: 0, serverError: 0, htmlError: 0, dropped: 0 };
}

function randomSeed(): number {
  return randomInt(2 ** 32 - 1);
}

// A generic error page such as a load balancer serves when Cognito is unreachable behind it: HTML, not
// AWS JSON, and no Cognito request id.
const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html>
<head><title>500 Internal Server Error</title></head>
<body><h1>500 Internal Server Error</h1><p>The server encountered an error and could not complete your request.</p></body>
</html>
`;

// What each fault looks like on the wire. Throttling is a 400, as Cognito sends it.
export function faultReply(fault: Fault): Reply {
  switch (fault) {
    case 'drop':
      return DROP_CONNECTION;
    case 'htmlError':
      return {
        status: 500,
        headers: { 'Content-Type': 'text/html' },
        body: HTML_ERROR_PAGE,
        omitRequestId: true,
      };
    case 'serverError':
      return errorResponse(internalError());
    case 'throttle':
      return errorResponse(rateExceeded());
  }
}
