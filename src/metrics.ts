// Prometheus metrics (prom-client) on a registry of the gateway's own (no global state, so tests and
// several gateways in one process do not share counters): GraphQL requests by operation and result code,
// Cognito latency by action and outcome, breaker state and calls refused unsent by action, abuse-limit
// refusals, send budgets and codes sent, proof-of-work challenges, client secret reloads, requests in flight,
// the in-memory limit store's bytes and what its bound did, and Node's process metrics.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  /** One per GraphQL request; `operation` is the root fields it ran (e.g. `signUp`), `code` OK or the first error's code. */
  readonly graphqlRequests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests by root field(s) and result code (OK or the first error code).',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly cognitoDuration = new Histogram({
    name: 'gateway_cognito_request_duration_seconds',
    help: 'Cognito calls by action and outcome (OK or the gateway error code), including SDK retries.',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** 1 while a Cognito action's circuit breaker is open or half-open (failing fast), 0 while it is closed. */
  readonly cognitoCircuitOpen = new Gauge({
    name: 'gateway_cognito_circuit_open',
    help: "1 while the Cognito action's circuit breaker is open or half-open (calls answered UPSTREAM_UNAVAILABLE at once), 0 while closed.",
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  /** Cognito calls answered UPSTREAM_UNAVAILABLE without being sent: `breaker`, `in-flight-cap`, `action-share`. */
  readonly cognitoRefused = new Counter({
    name: 'gateway_cognito_refused_total',
    help: 'Cognito calls refused without being sent, by action and why: its breaker is open (breaker), COGNITO_MAX_IN_FLIGHT is reached (in-flight-cap), or the action holds its share of it (action-share).',
    labelNames: ['action', 'by'] as const,
    registers: [this.registry],
  });

  readonly limiterRefusals = new Counter({
    name: 'gateway_rate_limited_total',
    help: "Calls refused by the gateway's own abuse limits, by rule.",
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  /** Run before each scrape of the send budgets' gauge (the budget watch sets it). */
  refreshSendBudgets: () => void = () => {};

  /** Share of each send budget used in its current window (set by the budget watch). */
  readonly sendBudgetUsed = new Gauge({
    name: 'gateway_send_budget_used_ratio',
    help: 'Share of each send budget (SMS per country, SMS, email) used in its current hour, 0 to 1.',
    labelNames: ['budget'] as const,
    registers: [this.registry],
    collect: () => this.refreshSendBudgets(),
  });

  /** Codes Cognito said it sent, by medium and (for SMS) the destination country the gateway knew. */
  readonly codesSent = new Counter({
    name: 'gateway_codes_sent_total',
    help: 'Codes Cognito said it sent, by medium (SMS, EMAIL) and SMS destination country (unknown when not known).',
    labelNames: ['medium', 'country'] as const,
    registers: [this.registry],
  });

  /** `issued` by GET /challenge; `passed`, `required` (none sent) or `failed` for calls that needed one. */
  readonly challenges = new Counter({
    name: 'gateway_challenges_total',
    help: 'Proof-of-work challenges issued, and the calls that needed one: passed, required (none sent) or failed.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Re-reads of COGNITO_CLIENT_SECRET_FILE: `ok` (swapped), `unchanged`, `invalid` or `unreadable` (kept). */
  readonly clientSecretReloads = new Counter({
    name: 'gateway_client_secret_reloads_total',
    help: 'Re-reads of the client secret file: ok (new secret in use), unchanged, invalid or unreadable (old one kept).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly sessionKeyReloads = new Counter({
    name: 'gateway_session_keys_reloads_total',
    help: 'Re-reads of the session keys file: ok (new keys in use), unchanged, invalid or unreadable (keys in use kept).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Run before each scrape of the limit store's bytes gauge (the gateway core sets it). */
  refreshLimitMemory: () => void = () => {};

  /** What the in-memory limit store holds, as it estimates it, by part; `max` is LIMIT_MEMORY_MAX_MB. */
  readonly limitMemoryBytes = new Gauge({
    name: 'gateway_limit_memory_bytes',
    help: "Bytes the in-memory limit store (or Redis's shadow) holds, as it estimates them: counters, links, and max (its bound).",
    labelNames: ['part'] as const,
    registers: [this.registry],
    collect: () => this.refreshLimitMemory(),
  });

  /** What the bound of the in-memory limit store did: link-evicted, link-not-kept, counter-refused, counter-not-kept. */
  readonly limitMemoryFull = new Counter({
    name: 'gateway_limit_memory_full_total',
    help: 'Events at the bound of the in-memory limit store: link-evicted, link-not-kept, counter-refused (a call refused), counter-not-kept (a Redis shadow).',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'gateway_http_requests_in_flight',
    help: 'HTTP requests being served.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
