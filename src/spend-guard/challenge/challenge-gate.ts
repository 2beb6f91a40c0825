// The challenge gate of the user-pool call pipeline: decides whether a call needs a solved challenge
// (CHALLENGE_MODE `always`, or `adaptive` once a limit that covers the call is more than half used) and, if so,
// lets it through only with a response its verifier accepts. It runs before any limit point is taken or
// anything is sent upstream, so a call it refuses costs the caller no budget and Cognito nothing.
import { ErrorCode, gatewayError } from '../../errors';
import type { Logger } from '../../logger';
import type { ChallengeCaller, ChallengeVerifier } from './challenge-verifier';

export type ChallengeGateSettings =
  | { mode: 'off' }
  | { mode: 'always' | 'adaptive'; verifier: ChallengeVerifier };

/** What the gate did with a call that needed a challenge (`issued` is counted by GET /challenge). */
export type ChallengeResult = 'passed' | 'required' | 'failed';

/** In adaptive mode a call needs a challenge once a limit covering it is used past this share. */
export const ADAPTIVE_THRESHOLD = 0.5;

export class ChallengeGate {
  constructor(
    private readonly settings: ChallengeGateSettings,
    private readonly count: (result: ChallengeResult) => void = () => {},
  ) {}

  /**
   * Resolves when the call may go on; throws CHALLENGE_REQUIRED (none given) or CHALLENGE_FAILED (not
   * accepted). `usedRatio` is the largest share used of the limits covering the call, read only in adaptive
   * mode. A response that is not needed is ignored, neither checked nor used up.
   */
  async check(
    response: string | null | undefined,
    usedRatio: () => Promise<number>,
    caller: ChallengeCaller & { log: Logger },
  ): Promise<void> {
    const { settings } = this;
    if (settings.mode === 'off') return;
    if (settings.mode === 'adaptive') {
      const ratio = await usedRatio();
      // A used-up limit refuses the call anyway (RATE_LIMITED, with when to retry): a user waiting out a
      // cooldown is not asked for work that cannot help.
      if (ratio <= ADAPTIVE_THRESHOLD || ratio >= 1) return;
    }
    if (response === undefined || response === null) {
      this.count('required');
      throw gatewayError(
        ErrorCode.CHALLENGE_REQUIRED,
        'This call needs a solved challenge: get one from GET /challenge, solve it and send it as challengeResponse.',
      );
    }
    const verdict = await settings.verifier.verify(response, { clientIp: caller.clientIp });
    if (!verdict.ok) {
      this.count('failed');
      caller.log.debug({ reason: verdict.reason }, 'challenge response refused');
      throw gatewayError(
        ErrorCode.CHALLENGE_FAILED,
        'The challenge response was not accepted (malformed, expired, already used or not issued by this gateway): solve a new challenge.',
      );
    }
    this.count('passed');
  }
}
