import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhoneNumber, simulatedMaskedDestination } from '../../../src/local-cognito/masking';

describe('local Cognito destination masking', () => {
  it('keeps the first letter of the local part and of the domain of an email', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@e***');
  });

  it('masks a one-letter local part the same way', () => {
    expect(maskEmail('j@x.io')).toBe('j***@x***');
  });

  it('keeps a non-ASCII first letter whole rather than half a surrogate pair', () => {
    expect(maskEmail('𝒥ane@example.com')).toBe('𝒥***@e***');
  });

  it('keeps the plus sign and the last four digits of a phone number', () => {
    expect(maskPhoneNumber('+15555550123')).toBe('+*******0123');
  });

  it('does not invent digits for a number of four digits or fewer', () => {
    expect(maskPhoneNumber('+123')).toBe('+123');
  });

  it('derives the same simulated destination from the same seed', () => {
    expect(simulatedMaskedDestination('pool/ghost', 'EMAIL')).toBe(
      simulatedMaskedDestination('pool/ghost', 'EMAIL'),
    );
  });

  it('shapes a simulated destination like a real masked one', () => {
    expect(simulatedMaskedDestination('pool/ghost', 'EMAIL')).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
    expect(simulatedMaskedDestination('pool/ghost', 'SMS')).toMatch(/^\+\*{7}\d{4}$/);
  });
});
