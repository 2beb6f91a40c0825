// The README and docs/ are checked against the code where a statement can drift: every variable the
// configuration reads is in the reference and in .env.example, every error code is in both error tables,
// and every relative link points at a file that exists.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configVariables } from '../../src/config';
import { ErrorCode } from '../../src/errors';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOCS = [
  'README.md',
  ...[
    'api',
    'configuration',
    'security',
    'operations',
    'emulators',
    'development',
    'benchmark',
    'lambda',
  ].map((d) => `docs/${d}.md`),
];

describe('the documentation', () => {
  it('lists every configuration variable in docs/configuration.md and .env.example', () => {
    const reference = read('docs/configuration.md');
    const example = read('.env.example');
    const missing = configVariables(USER_POOL_CALL_LIMITS).filter(
      (name) => !reference.includes(`\`${name}\``) || !new RegExp(`^#? ?${name}=`, 'm').test(example),
    );
    expect(missing).toEqual([]);
  });

  it("states each call's limits with their production default, and their deprecated names, in docs/configuration.md", () => {
    const reference = read('docs/configuration.md');
    const wrong = USER_POOL_CALL_LIMITS.flatMap(({ limits }) => Object.values(limits)).filter(
      ({ variable, production, deprecatedName }) => {
        const row = reference.split('\n').find((line) => line.startsWith(`| \`${variable}\` |`));
        return (
          row === undefined ||
          !row.startsWith(`| \`${variable}\` | \`${production}\` |`) ||
          (deprecatedName !== undefined && !row.includes(`\`${deprecatedName}\``))
        );
      },
    );
    expect(wrong).toEqual([]);
  });

  it('lists every error code in the README and in docs/api.md', () => {
    const readme = read('README.md');
    const api = read('docs/api.md');
    const missing = Object.values(ErrorCode).filter(
      (code) => !readme.includes(`\`${code}\``) || !api.includes(`\`${code}\``),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the README short: what a newcomer needs in five minutes', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThan(12 * 1024);
  });

  it.each(DOCS)('has no broken relative links in %s', (doc) => {
    const text = read(doc);
    const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((l) => !/^https?:/.test(l));
    const broken = links.filter((link) => !existsSync(join(ROOT, dirname(doc), link)));
    expect(broken).toEqual([]);
  });
});
