// The request every benchmark load sends: one resendConfirmationCode, for one username.
import { oneLine, RESEND_CONFIRMATION_CODE } from '../src/user-pool-calls/documents';

export const BODY = JSON.stringify({
  query: oneLine(RESEND_CONFIRMATION_CODE),
  variables: { input: { username: 'bench.user@example.com' } },
});
