// Process entry: read the configuration, start the gateway (and, in development without Cognito settings,
// the local stand-in), shut down gracefully on SIGTERM/SIGINT, and re-read the client secret and session keys files on SIGHUP. Start-up failures end the process with
// one readable line and exit code 1.
import 'reflect-metadata';
import { type CognitoSettings, type Config, loadConfig, logConfigWarnings, startUpFailure } from './config';
import type { LocalDemo } from './dev/local-demo';
import { createLogger } from './logger';
import { createGateway, type Gateway } from './node-server/start-server';
import {
  CONFIRM_FORGOT_PASSWORD,
  FORGOT_PASSWORD,
  oneLine,
  RESEND_CONFIRMATION_CODE,
} from './user-pool-calls/documents';
import { USER_POOL_CALL_LIMITS } from './user-pool-calls/registry';

async function main(): Promise<void> {
  const config = loadConfig(process.env, USER_POOL_CALL_LIMITS);
  const logger = createLogger(config.logLevel);
  logConfigWarnings(config, logger);

  let demo: LocalDemo | undefined;
  let gateway: Gateway | undefined;
  let cognito: CognitoSettings;
  if (config.cognito.mode === 'local') {
    // Loaded only here: production never reads the stand-in or the demo (a shorter start, a smaller heap).
    const { startLocalDemo } = await import('./dev/local-demo');
    // The gateway is built after the stand-in (it needs its URL): DELETE /_local/limits reaches it from then.
    demo = await startLocalDemo(
      config.cognito.port,
      (line) => console.log(line),
      async () => gateway?.resetLimits(),
    );
    cognito = demo.cognito;
  } else {
    const { mode: _mode, ...settings } = config.cognito;
    cognito = settings;
  }

  // Installed before anything listens, so that a supervisor's signal is never met by Node's default (death).
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1_500);
    deadline.unref();
    // A signal during start-up stops what has started so far.
    Promise.resolve(gateway?.stop())
      .then(() => demo?.standIn.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Node's default for SIGHUP is death: always handled, even with nothing to re-read.
  process.on('SIGHUP', () => {
    const result = gateway?.reloadClientSecret();
    if (result === undefined) {
      logger.info(
        { signal: 'SIGHUP' },
        'SIGHUP: no COGNITO_CLIENT_SECRET_FILE configured (or not started yet), nothing to re-read',
      );
    } else logger.info({ signal: 'SIGHUP', result }, 'SIGHUP: client secret file re-read');
    const keys = gateway?.reloadSessionKeys();
    if (keys !== undefined)
      logger.info({ signal: 'SIGHUP', result: keys }, 'SIGHUP: session keys file re-read');
  });

  let url: string;
  try {
    gateway = await createGateway({
      config,
      cognito,
      logger,
      ...(!config.isProduction && {
        development: (await import('./dev/development')).developmentAdditions({
          outbox: demo?.standIn.outbox,
        }),
      }),
    });
    url = await gateway.listen(config.port, config.host);
  } catch (error) {
    await demo?.standIn.close();
    throw error;
  }
  if (gateway.opsUrl) logger.info({ url: gateway.opsUrl }, 'ops listening');
  if (demo) printLocalInstructions(url, demo, config);
  logger.info(
    {
      url,
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      local: !!demo,
    },
    'gateway listening',
  );
}

function printLocalInstructions(url: string, demo: LocalDemo, config: Config): void {
  const { username } = demo;
  const browserUrl = url.replace('//0.0.0.0:', '//localhost:').replace('//[::]:', '//localhost:');
  const { challenge } = config;
  const body = (query: string, input: Record<string, string>) =>
    JSON.stringify({ query: oneLine(query), variables: { input } });
  const curl = (json: string) => `  curl -s ${browserUrl} -H 'content-type: application/json' -d '${json}'`;
  console.log(
    [
      '',
      'Local mode: no COGNITO_* variables, so the embedded Cognito stand-in is serving.',
      `  stand-in endpoint : ${demo.standIn.url}   (codes: ${demo.standIn.url}/_local/outbox)`,
      `  demo user pool    : ${demo.cognito.userPoolId}, app client ${demo.cognito.clientId} (with a secret)`,
      `  unconfirmed user  : ${username}`,
      ...describeLimits(config.limits),
      ...(challenge.mode === 'off'
        ? []
        : [
            `  challenge         : ${challenge.mode}, cost ${challenge.cost}${challenge.keyGenerated ? ', key made for this process' : ''}; ` +
              `${browserUrl.replace(/\/graphql$/, '/challenge')} (the calls that may send a code may need challengeResponse)`,
          ]),
      `  reset the limits  : curl -X DELETE ${demo.standIn.url}/_local/limits`,
      '',
      `Open ${browserUrl} for the explorer (GraphiQL from the gateway, offline too; Apollo Sandbox one click away)`,
      'and run the flow (codes appear below, on the demo page and in the outbox):',
      '  mutation { signUp(input: { username: "jane@example.com", password: "Passw0rd-long-enough",',
      '    userAttributes: [{ name: "email", value: "jane@example.com" }] }) { userSub codeDeliveryDetails { destination } } }',
      '  mutation { resendConfirmationCode(input: { username: "jane@example.com" }) {',
      '    codeDeliveryDetails { destination deliveryMedium attributeName } } }',
      '  mutation { confirmSignUp(input: { username: "jane@example.com", confirmationCode: "<code>" }) { confirmed session } }',
      '',
      'sign in with that session (or the password), refresh and sign out (the refresh token stays in an HttpOnly cookie):',
      '  mutation { signIn(input: { username: "jane@example.com", session: "<session>" }) {',
      '    tokens { accessToken idToken expiresIn } nextStep { challenge session username } } }',
      '  or with a one-time code: signIn(input: { username: "jane@example.com", preferredChallenge: EMAIL_OTP }), then',
      '  respondToSignInChallenge(input: { challenge: EMAIL_OTP, session: "<nextStep.session>", username: "<nextStep.username>", code: "<code>" })',
      '  mutation { refreshTokens { tokens { accessToken expiresIn } } }   mutation { signOut { signedOut } }',
      '',
      'then reset the password of the confirmed user (the reset code appears the same way):',
      '  mutation { forgotPassword(input: { username: "jane@example.com" }) {',
      '    codeDeliveryDetails { destination deliveryMedium attributeName } } }',
      '  mutation { confirmForgotPassword(input: { username: "jane@example.com", confirmationCode: "<reset code>",',
      '    password: "An0ther-Passw0rd-long" }) { passwordChanged } }',
      '',
      'or with curl:',
      curl(body(RESEND_CONFIRMATION_CODE, { username })),
      curl(body(FORGOT_PASSWORD, { username: 'jane@example.com' })),
      curl(
        body(CONFIRM_FORGOT_PASSWORD, {
          username: 'jane@example.com',
          confirmationCode: '<reset code>',
          password: 'An0ther-Passw0rd-long',
        }),
      ),
      `\nOr open ${browserUrl.replace(/\/graphql$/, '')}/demo for the demo page: it shows each code as it is sent.`,
      '',
    ].join('\n'),
  );
}

/** The abuse limits in force, for the local banner: local mode's generous defaults, or what LIMIT_* set. */
function describeLimits(l: Config['limits']): string[] {
  // Cooldowns are in seconds, the other limits hourly counts; 0 is off either way.
  const value = (name: string, n: number) =>
    n === 0 ? 'off' : name.endsWith('Seconds') ? `${n} s` : `${n}/h`;
  return [
    '  limits            : development defaults unless a LIMIT_* variable is set',
    `    codes to one destination ${value('destinationPerHour', l.destinationPerHour)}; send budgets: SMS ` +
      `${value('', l.smsPerCountryPerHour)} per country, ${value('', l.smsPerHour)} in all, email ${value('', l.emailPerHour)}, ` +
      `unknown destinations ${value('', l.unknownDestinationPerHour)}`,
    ...Object.entries(l.calls).map(
      ([action, own]) =>
        `    ${action}: ${Object.entries(own)
          .map(([name, n]) => `${name} ${value(name, n)}`)
          .join(', ')}`,
    ),
  ];
}

main().catch((error: unknown) => {
  console.error(startUpFailure(error));
  process.exit(1);
});
