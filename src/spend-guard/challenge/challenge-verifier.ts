// The seam between the challenge gate and whatever checks that a caller did the work: ALTCHA's self-hosted
// proof-of-work today (altcha-verifier.ts). A CAPTCHA service such as Cloudflare Turnstile or hCaptcha would be
// another implementation: no `issue` (its widget gets challenges from the provider), and a `verify` that posts
// the token, the secret and the caller's IP to the provider's siteverify endpoint and maps its answer (the
// providers refuse a token used twice themselves). See docs/security.md, "Proof-of-work challenge".

/** Why a response did not pass: fixed words for logs and tests, never shown to the client. */
export type ChallengeFailure =
  /** Not a response at all: not the widget's encoding, or fields of the wrong type or size. */
  | 'malformed'
  /** Not a challenge this gateway signed with its key, or one whose signed parameters were changed. */
  | 'forged'
  /** Past its lifetime. */
  | 'expired'
  /** The challenge is genuine but the work does not solve it. */
  | 'wrong-solution'
  /** Genuine and solved, but used before: each challenge answers one call. */
  | 'replayed';

export type ChallengeVerdict = { ok: true } | { ok: false; reason: ChallengeFailure };

/** What the gateway knows about the caller that a verifier may need (a CAPTCHA service wants the IP). */
export interface ChallengeCaller {
  clientIp: string;
}

export interface ChallengeVerifier {
  /**
   * A fresh challenge for GET /challenge, as the client's widget reads it. Verifiers whose challenges come
   * from elsewhere (a CAPTCHA provider) have none, and the gateway then serves no GET /challenge.
   */
  issue?(): Promise<object>;
  /**
   * Whether `response` (the client's `challengeResponse`) proves the work, and was not used before. Rejects
   * only when it cannot tell (its store is unusable): never a pass by default.
   */
  verify(response: string, caller: ChallengeCaller): Promise<ChallengeVerdict>;
}
