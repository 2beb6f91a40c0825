// Cognito never echoes a full email or phone number in CodeDeliveryDetails; it shows a masked hint.
import { createHash } from 'node:crypto';
import type { DeliveryMedium } from './types';

// jane.doe@example.com -> j***@e***
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at + 1) : '';
  return `${first(local)}***@${first(domain)}***`;
}

// +15555550123 -> +*******0123
export function maskPhoneNumber(phone: string): string {
  const plus = phone.startsWith('+') ? '+' : '';
  const digits = phone.slice(plus.length);
  const visible = Math.min(4, digits.length);
  return plus + '*'.repeat(digits.length - visible) + digits.slice(digits.length - visible);
}

export function maskDestination(destination: string, medium: DeliveryMedium): string {
  return medium === 'EMAIL' ? maskEmail(destination) : maskPhoneNumber(destination);
}

// With user-existence errors suppressed, an unknown user must get an answer indistinguishable from a real one.
// Deriving it from the username keeps repeated calls consistent, so the variation itself leaks nothing.
export function simulatedMaskedDestination(seed: string, medium: DeliveryMedium): string {
  const hash = createHash('sha256').update(seed, 'utf8').digest();
  const letter = (i: number) => String.fromCharCode(97 + ((hash[i] ?? 0) % 26));
  if (medium === 'EMAIL') return `${letter(0)}***@${letter(1)}***`;
  const lastFour = [2, 3, 4, 5].map((i) => (hash[i] ?? 0) % 10).join('');
  return `+*******${lastFour}`;
}

function first(text: string): string {
  return Array.from(text)[0] ?? '';
}
