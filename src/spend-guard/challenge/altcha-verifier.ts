// ALTCHA's self-hosted proof-of-work as a ChallengeVerifier, in altcha-lib 2's protocol (the one the altcha 3
// widget speaks). A challenge asks for a counter whose PBKDF2-SHA256 key (`cost` iterations over the
// challenge's random nonce and salt) starts with the byte 00: 256 tries on average for the client, one for the
// gateway to check. It is signed with CHALLENGE_HMAC_KEY and carries its own expiry, so issuing one is signing
// only and keeps no state. A challenge that passes is remembered, by its signed nonce, in the limiter store (in
// Redis when the abuse limits are) for its lifetime: each challenge answers one call, on every instance.
// The derivation is the one costly step of a check, so everything cheaper that can refuse a response comes
// first: its shape, algorithm and expiry, the key's prefix, whether it was answered already, and (inside
// verifySolution, before it derives) the HMAC signature.
import type * as Pbkdf2 from 'altcha-lib/dist/cjs/v2/algorithms/pbkdf2';
import type * as AltchaLib from 'altcha-lib/dist/cjs/v2/index';
import type { Challenge, Solution } from 'altcha-lib/dist/cjs/v2/types';
import { z } from 'zod';
import { MAX_CHALLENGE_COST } from '../../config';
import { type CountingLimiter, isRefusal, type LimitRule } from '../../limits/abuse-limiter';
import type { Secret } from '../../secret';
import type {
  ChallengeCaller,
  ChallengeFailure,
  ChallengeVerdict,
  ChallengeVerifier,
} from './challenge-verifier';

// moduleResolution node10 does not read the package's exports map: the types come from its CommonJS build, the
// code from what Node's require resolves to, which is that same build.
const { createChallenge, verifySolution } = require('altcha-lib') as typeof AltchaLib;
const { deriveKey } = require('altcha-lib/algorithms/pbkdf2') as typeof Pbkdf2;

/** Computed natively by the browser's WebCrypto, so a browser solves at nearly a native bot's speed per core. */
export const ALTCHA_ALGORITHM = 'PBKDF2/SHA-256';
export const CHALLENGE_LIFETIME_SECONDS = 300;

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));

/**
 * Exactly what issue() signs, and the widget's solution (its `time` is ignored): anything else is malformed
 * before any work is done on it. The signature check then decides whether the parameters are ours.
 */
const RESPONSE = z.object({
  challenge: z.strictObject({
    parameters: z.strictObject({
      algorithm: z.literal(ALTCHA_ALGORITHM),
      cost: z.int().min(1).max(MAX_CHALLENGE_COST),
      expiresAt: z.int().positive(),
      keyLength: z.literal(32),
      keyPrefix: z.string().regex(/^[0-9a-f]{1,8}$/),
      nonce: hex(32),
      salt: hex(32),
    }),
    signature: hex(64),
  }),
  solution: z.object({ counter: z.int().min(0).max(0xffff_ffff), derivedKey: hex(64) }),
});

/** The widget's encoding: standard base64 (btoa) of the JSON. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface AltchaVerifierOptions {
  hmacKey: Secret;
  /** PBKDF2 iterations per try (CHALLENGE_COST). */
  cost: number;
  /** Where answered challenges are remembered: a limiter built from `AltchaVerifier.replayRule`. */
  replay: CountingLimiter;
  /** Milliseconds since the epoch; what expiry is judged by. */
  now?: () => number;
  /** The key derivation: altcha-lib's PBKDF2 unless a test counts the derivations. */
  deriveKey?: typeof deriveKey;
}

export class AltchaVerifier implements ChallengeVerifier {
  /**
   * One point per challenge for its lifetime: a second consume of one nonce is refused. Built by the limiter
   * store as the abuse rules are, so that it is shared through Redis like them. (A rule needs a subject; only
   * the abuse limiter reads it, and this rule is never one of its.)
   */
  static readonly replayRule: LimitRule = {
    name: 'challenge:answered',
    subject: 'ip',
    points: 1,
    durationSeconds: CHALLENGE_LIFETIME_SECONDS,
  };

  private readonly now: () => number;
  private readonly deriveKey: typeof deriveKey;

  constructor(private readonly options: AltchaVerifierOptions) {
    this.now = options.now ?? Date.now;
    this.deriveKey = options.deriveKey ?? deriveKey;
  }

  issue(): Promise<Challenge> {
    return createChallenge({
      algorithm: ALTCHA_ALGORITHM,
      cost: this.options.cost,
      deriveKey: this.deriveKey,
      hmacSignatureSecret: this.options.hmacKey.reveal(),
      expiresAt: Math.floor(this.now() / 1000) + CHALLENGE_LIFETIME_SECONDS,
    });
  }

  async verify(response: string, _caller: ChallengeCaller): Promise<ChallengeVerdict> {
    const payload = parse(response);
    if (!payload) return failed('malformed');
    const { challenge, solution } = payload;
    if ((challenge.parameters.expiresAt ?? 0) * 1000 <= this.now()) return failed('expired');
    // A derived key without the signed prefix solves nothing, whatever the counter.
    if (!solution.derivedKey.startsWith(challenge.parameters.keyPrefix)) return failed('wrong-solution');
    // Answered already: refused here without a derivation (the consume below still decides between two
    // concurrent uses).
    const answered = await this.options.replay.get(challenge.parameters.nonce);
    if (answered && answered.consumedPoints >= AltchaVerifier.replayRule.points) return failed('replayed');
    let result: Awaited<ReturnType<typeof verifySolution>>;
    try {
      result = await verifySolution({
        challenge,
        solution,
        deriveKey: this.deriveKey,
        hmacSignatureSecret: this.options.hmacKey.reveal(),
      });
    } catch {
      return failed('malformed');
    }
    if (!result.verified) {
      if (result.expired) return failed('expired');
      return failed(result.invalidSignature ? 'forged' : 'wrong-solution');
    }
    // Remembered only once it has passed, so that unsolved attempts write nothing; the consume is atomic
    // (in Redis as in memory), so of two concurrent uses one is refused. A store failure rejects.
    try {
      await this.options.replay.consume(challenge.parameters.nonce);
    } catch (error) {
      if (isRefusal(error)) return failed('replayed');
      throw error;
    }
    return { ok: true };
  }
}

function failed(reason: ChallengeFailure): ChallengeVerdict {
  return { ok: false, reason };
}

function parse(response: string): { challenge: Challenge; solution: Solution } | undefined {
  if (!BASE64.test(response)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(response, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = RESPONSE.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
