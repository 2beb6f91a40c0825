// What a production start loads: the built gateway under `npm start`'s Node flags, in production against a
// Cognito endpoint, records every module in require.cache when it exits. The embedded stand-in and the demo
// page (src/dev, src/local-cognito) are for local mode only: a production process never reads them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScriptFlags } from '../../bench/measure';
import { TEST_SESSION_KEYS } from '../support/gateway-harness';
import { MAIN, ROOT, startProcess } from './process';

const START_FLAGS = startScriptFlags(ROOT);

describe('a production start', () => {
  it('loads neither the local stand-in nor the demo page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'production-start-'));
    const record = join(dir, 'record.js');
    const loaded = join(dir, 'loaded.json');
    writeFileSync(
      record,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    const gateway = startProcess(process.execPath, [...START_FLAGS, '--require', record, MAIN], {
      NODE_ENV: 'production',
      SESSION_KEYS: TEST_SESSION_KEYS,
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'us-east-1_Prod00001',
      COGNITO_CLIENT_ID: 'prodclient00000000000000000',
      COGNITO_CLIENT_SECRET: 'prodsecret0000000000000000000000000000000000000000',
    });
    await gateway.waitForLog('gateway listening');
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    const files = (JSON.parse(readFileSync(loaded, 'utf8')) as string[]).map((file) => relative(ROOT, file));
    expect(files).toContain(join('dist', 'src', 'node-server', 'start-server.js'));
    expect(files.filter((file) => /^dist\/src\/(dev|local-cognito)\//.test(file))).toEqual([]);
  });
});
