import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { Secret } from '../../src/secret';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }) };
}

describe('createLogger', () => {
  it('redacts SecretHash, client secrets, passwords and confirmation codes wherever they are logged', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        SecretHash: 'hash-top',
        clientSecret: 'secret-top',
        request: { SecretHash: 'hash-nested', Password: 'pw-nested' },
        deeper: { input: { SecretHash: 'hash-deep', Password: 'pw-deep', ConfirmationCode: 'code-deep' } },
        password: 'pw-top',
        input: { confirmationCode: 'code-input' },
        ConfirmationCode: 'code-top',
      },
      'something happened',
    );
    expect(lines[0]).not.toMatch(/hash-top|secret-top|hash-nested|pw-nested|hash-deep|pw-top|pw-deep|code-/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      SecretHash: '[redacted]',
      request: { Password: '[redacted]' },
    });
  });

  it('redacts challenge responses wherever they are logged', () => {
    const { lines, logger } = capture();
    logger.info({
      challengeResponse: 'pow-top',
      input: { challengeResponse: 'pow-input' },
      variables: { input: { challengeResponse: 'pow-deep' } },
    });
    expect(lines[0]).not.toMatch(/pow-/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ input: { challengeResponse: '[redacted]' } });
  });

  it('never prints a Secret, even when a whole settings object is logged', () => {
    const { lines, logger } = capture();
    logger.info({
      cognito: { clientId: 'abc', clientSecret: new Secret('s3cr3t-value') },
      other: new Secret('x-value'),
    });
    expect(lines.join('\n')).not.toMatch(/s3cr3t-value|x-value/);
  });
});
