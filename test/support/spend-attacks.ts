// What the spend-guard attack tests share: a production gateway's limits, one address per attacker, the
// verdict of an answer, and the codes that really reached a person (the stand-in's outbox).
import { normalisedEmail } from '../../src/limits/destination';
import type { LocalCognito } from '../../src/local-cognito';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';

/** Every limit at its production default, as an attacker meets a production gateway behind a loopback proxy. */
export const PRODUCTION_LIMITS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    USER_POOL_CALL_LIMITS.flatMap(({ limits }) => Object.values(limits)).map((s) => [
      s.variable,
      String(s.production),
    ]),
  ),
  LIMIT_DESTINATION_PER_HOUR: '5',
  LIMIT_UNKNOWN_DESTINATION_PER_HOUR: '20',
  TRUST_PROXY: 'loopback',
};

/** The headers of a request from `ip`, through the trusted loopback proxy. */
export const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** A distinct documentation-range address per attacker. */
export const attackerIp = (i: number) => `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`;

/** The error code of an answer, or OK. */
export { codeOf as verdictOf } from './answers';

/** Codes that reached an inbox, whatever the spelling it was given in. */
export function codesToInbox(standIn: LocalCognito, address: string): number {
  const inbox = normalisedEmail(address);
  return standIn.outbox.list().filter((m) => m.medium === 'EMAIL' && normalisedEmail(m.destination) === inbox)
    .length;
}

/** SMS codes sent, to numbers that `predicate` accepts. */
export function smsSent(standIn: LocalCognito, predicate: (phone: string) => boolean = () => true): number {
  return standIn.outbox.list().filter((m) => m.medium === 'SMS' && predicate(m.destination)).length;
}

/** A UK mobile number per index, from `base` on. */
export const gbMobile = (i: number, base = 200_000) => `+447400${String(base + i).padStart(6, '0')}`;
