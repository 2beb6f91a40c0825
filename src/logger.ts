// The process logger: pino, JSON lines, with secrets, Cognito's SecretHash, passwords, confirmation codes and
// challenge responses redacted wherever a log call might put them (the gateway itself never logs a request to Cognito).
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACTED_PATHS = [
  'clientSecret',
  '*.clientSecret',
  'SecretHash',
  '*.SecretHash',
  '*.*.SecretHash',
  'password',
  '*.password',
  'Password',
  '*.Password',
  '*.*.Password',
  'confirmationCode',
  '*.confirmationCode',
  'ConfirmationCode',
  '*.ConfirmationCode',
  '*.*.ConfirmationCode',
  'challengeResponse',
  '*.challengeResponse',
  '*.*.challengeResponse',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cognito-public-gateway', pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
