// A throw-away certificate authority and a server certificate it signed for 127.0.0.1 and localhost, made
// with Debian's openssl in a temporary directory: what a test needs to run Redis over TLS (as ElastiCache's
// in-transit encryption does) and to trust it the way an operator does (the CA in Node's default store, as
// NODE_EXTRA_CA_CERTS puts it there).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './debian-package';

export interface TestCertificates {
  /** PEM files */
  ca: string;
  cert: string;
  key: string;
  remove(): void;
}

/** openssl's path, or undefined when it is missing. */
export function openssl(): string | undefined {
  return findExecutable('openssl', ['/usr/bin/openssl']);
}

export function makeCertificates(): TestCertificates {
  const binary = openssl();
  if (!binary) throw new Error('openssl is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(binary, args, { stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=gateway test CA',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
  );
  writeFileSync(at('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
  );
  run(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    at('san.cnf'),
    '-out',
    at('server.pem'),
  );
  return {
    ca: at('ca.pem'),
    cert: at('server.pem'),
    key: at('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The PEM text of a file. */
export const pem = (path: string) => readFileSync(path, 'utf8');
