// The built gateway (what `npm start` runs) refuses a stale trusted-documents manifest: exit 1 and one
// readable message naming the document, never a stack dump, before anything listens.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SESSION_KEYS } from '../support/gateway-harness';
import { MAIN, type Started, startProcess } from './process';

const running: Started[] = [];
afterEach(() => {
  for (const started of running.splice(0)) started.child.kill('SIGKILL');
});

describe('a production gateway with a stale trusted-documents manifest', () => {
  it('exits 1 with a message naming the document that no longer fits the schema', async () => {
    const stale = 'mutation Stale($input: SignUpInput!) { signUp(input: $input) { removedField } }';
    const id = createHash('sha256').update(stale).digest('hex');
    const file = join(mkdtempSync(join(tmpdir(), 'trusted-start-up-')), 'persisted-documents.json');
    writeFileSync(file, JSON.stringify({ [id]: stale }));
    const gateway = startProcess(process.execPath, [MAIN], {
      NODE_ENV: 'production',
      SESSION_KEYS: TEST_SESSION_KEYS,
      COGNITO_REGION: 'us-east-1',
      COGNITO_CLIENT_ID: 'client1',
      COGNITO_ENDPOINT: 'http://127.0.0.1:9',
      PORT: '0',
      TRUSTED_DOCUMENTS_FILE: file,
    });
    running.push(gateway);
    expect((await gateway.exited).code).toBe(1);
    const stderr = gateway.stderr.join('\n');
    expect(stderr).toContain(
      `Failed to start: TRUSTED_DOCUMENTS_FILE: the manifest is stale or invalid for this gateway:\n  - Stale (${id}): Cannot query field "removedField"`,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(gateway.stdout.join('\n')).not.toContain('gateway listening');
  });
});
