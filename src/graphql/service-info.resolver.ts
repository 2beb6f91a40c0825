// GraphQL requires a Query root; ours tells a client which gateway and version it is talking to, whether it
// may ask for a proof-of-work challenge (so a frontend knows whether to load the widget), and which sign-in
// factors it can ask Cognito for (so a frontend shows one-time-code buttons only where they can work).
import { Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import packageJson from '../../package.json';
import type { ChallengeMode as ConfiguredChallengeMode } from '../config';
import type { SignInFlow } from '../user-pool-calls/shared/request-fields';
import { SignInFactor } from '../user-pool-calls/shared/sign-in-factor.enum';

export enum ChallengeMode {
  OFF = 'OFF',
  ALWAYS = 'ALWAYS',
  ADAPTIVE = 'ADAPTIVE',
}

registerEnumType(ChallengeMode, {
  name: 'ChallengeMode',
  description:
    'When signUp, resendConfirmationCode, forgotPassword, signIn and respondToSignInChallenge need a solved challenge from GET /challenge ' +
    '(CHALLENGE_REQUIRED otherwise).',
  valuesConfig: {
    OFF: { description: 'Never; GET /challenge is not served.' },
    ALWAYS: { description: 'On every such call.' },
    ADAPTIVE: {
      description:
        'Once a limit covering the call is more than half used: solve one when CHALLENGE_REQUIRED comes back.',
    },
  },
});

const MODES: Record<ConfiguredChallengeMode, ChallengeMode> = {
  off: ChallengeMode.OFF,
  always: ChallengeMode.ALWAYS,
  adaptive: ChallengeMode.ADAPTIVE,
};

@ObjectType({ description: 'The gateway a client is talking to.' })
export class ServiceInfo {
  @Field((_type) => String)
  name: string;

  @Field((_type) => String, { description: 'The gateway version (semver).' })
  version: string;

  @Field((_type) => ChallengeMode, {
    description: 'Whether the calls that send codes may answer CHALLENGE_REQUIRED, and when.',
  })
  challengeMode: ChallengeMode;

  @Field((_type) => [SignInFactor], {
    description:
      'The factors signIn can ask for here: PASSWORD always; EMAIL_OTP and SMS_OTP with COGNITO_SIGN_IN_FLOW=USER_AUTH ' +
      '(the pool still decides which it offers each user: a factor it does not offer answers SELECT_CHALLENGE).',
  })
  signInFactors: SignInFactor[];
}

@Resolver()
export class ServiceInfoResolver {
  constructor(
    private readonly challengeMode: ConfiguredChallengeMode,
    private readonly signInFlow: SignInFlow,
  ) {}

  @Query((_returns) => ServiceInfo, {
    description: 'Which gateway and version answer; handy to check a connection.',
  })
  serviceInfo(): ServiceInfo {
    return Object.assign(new ServiceInfo(), {
      name: packageJson.name,
      version: packageJson.version,
      challengeMode: MODES[this.challengeMode],
      signInFactors:
        this.signInFlow === 'USER_AUTH'
          ? [SignInFactor.PASSWORD, SignInFactor.EMAIL_OTP, SignInFactor.SMS_OTP]
          : [SignInFactor.PASSWORD],
    });
  }
}
