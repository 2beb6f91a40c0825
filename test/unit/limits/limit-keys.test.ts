// The username fold behind every per-username limit. A case-insensitive pool compares lower-cased usernames,
// so the fold must be a function of toLowerCase(x): proved over every code point (alone, before combining
// marks, after the letters whose case mapping misbehaves) and over random full-Unicode strings.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldUsername, hashedKey, usernameKey } from '../../../src/limits/limit-keys';

const fold = (username: string) => foldUsername(username, false);
const key = (username: string) => usernameKey(username, false);
const lower = (s: string) => s.toLowerCase();
const upper = (s: string) => s.toUpperCase();

// Combining acute, dot above, cedilla, diaeresis and ypogegrammeni (the iota subscript, whose upper case is a
// base letter), alone and in pairs in and out of canonical order.
const SUFFIXES = [
  '',
  '\u0301',
  '\u0307',
  '\u0327',
  '\u0308',
  '\u0345',
  '\u0327\u0301',
  '\u0308\u0301',
  '\u0301\u0345',
];
// ẞ, İ and Ϊ, whose folds went wrong before marks, and a capital sigma after a letter (final-sigma context).
const PREFIXES = ['\u1e9e', '\u0130', '\u03aa', '\u0391\u03a3'];

function* everyCodePoint(): Generator<string> {
  for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) yield String.fromCodePoint(cp);
}

function hex(s: string): string {
  return [...s]
    .map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');
}

/** The strings `s` for which `fold(s) !== fold(variant(s))`: how many, and the first few. */
function foldsApart(strings: Iterable<string>, variant: (s: string) => string) {
  const first: string[] = [];
  let count = 0;
  for (const s of strings) {
    const v = variant(s);
    // A string its variant leaves alone folds like itself: skipping it keeps the sweep to seconds.
    if (v === s || fold(v) === fold(s)) continue;
    count++;
    if (first.length < 20) first.push(hex(s));
  }
  return { count, first };
}

/** ẞ, İ, Ϊ or the final-sigma context before every code point. */
function* afterPrefixes(): Generator<string> {
  for (const c of everyCodePoint()) for (const prefix of PREFIXES) yield prefix + c;
}

/** Canonical reordering puts U+0345 after other marks before case mapping turns it into the letter ι. */
function hasIotaSubscript(s: string): boolean {
  return s.normalize('NFD').includes('\u0345');
}

describe('foldUsername over every code point', () => {
  // Every code point, alone and before each suffix, that lower- or upper-casing changes: only those can fold
  // apart from a case variant (lower(upper(s)) is s too when both leave s alone). About 2.2 of 10 million
  // strings, nearly all because U+0345 upper-cases to Ι after any code point; lower-casing changes 13,392.
  const caseChanged: string[] = [];
  beforeAll(() => {
    for (const c of everyCodePoint())
      for (const suffix of SUFFIXES) {
        const s = c + suffix;
        if (lower(s) !== s || upper(s) !== s) caseChanged.push(s);
      }
  }, 60_000);

  it('folds each code point, alone and followed by combining marks, as its lower case', () => {
    expect(foldsApart(caseChanged, lower)).toEqual({ count: 0, first: [] });
  });

  it('rests on toLowerCase being idempotent on those strings', () => {
    expect(caseChanged.filter((s) => lower(lower(s)) !== lower(s)).map(hex)).toEqual([]);
  });

  it('folds each code point after ẞ, İ, Ϊ or a final sigma as its lower case', { timeout: 60_000 }, () => {
    expect(foldsApart(afterPrefixes(), lower)).toEqual({ count: 0, first: [] });
  });

  it('folds each code point, alone and followed by combining marks, as its upper case (no iota subscript)', () => {
    const withoutIota = caseChanged.filter((s) => !hasIotaSubscript(s));
    expect(foldsApart(withoutIota, upper)).toEqual({ count: 0, first: [] });
    expect(foldsApart(withoutIota, (s) => lower(upper(s)))).toEqual({ count: 0, first: [] });
  });
});

// Any code point, biased towards those whose case mapping or normalisation is special.
const CASE_EDGES = [
  ...'ẞßİıIiſSsΣσςΪΫΐΰϊϋͅ\u0301\u0307\u0308\u0327\u0313ǅǄǆKﬀﬁÅÅΩΩᾳᾼΆ@.+_-',
  '\ud800', // a lone surrogate: JSON can carry one
  '\udc00',
];
const usernameArb = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom(...CASE_EDGES)),
  maxLength: 12,
});
const PROPERTY_RUNS = { seed: 1_010, numRuns: 5_000 };

describe('foldUsername on random full-Unicode strings', () => {
  it('is a function of the lower-cased string', () => {
    fc.assert(
      fc.property(usernameArb, (x) => key(x) === key(lower(x))),
      PROPERTY_RUNS,
    );
  });

  it('merges upper-cased and upper-then-lower-cased spellings, unless an iota subscript is involved', () => {
    fc.assert(
      fc.property(usernameArb, (x) => {
        fc.pre(!hasIotaSubscript(x));
        return key(x) === key(upper(x)) && key(x) === key(lower(upper(x)));
      }),
      PROPERTY_RUNS,
    );
  });

  it('merges canonically and compatibly equivalent spellings', () => {
    fc.assert(
      fc.property(usernameArb, (x) =>
        (['NFC', 'NFD', 'NFKC', 'NFKD'] as const).every((form) => fold(x.normalize(form)) === fold(x)),
      ),
      PROPERTY_RUNS,
    );
  });

  it('is already a fixpoint: folding a fold changes nothing', () => {
    fc.assert(
      fc.property(usernameArb, (x) => fold(fold(x)) === fold(x)),
      PROPERTY_RUNS,
    );
  });
});

describe('usernameKey', () => {
  it('gives one key to STRAUẞ@EXAMPLE.COM and strauß@example.com, one user in a case-insensitive pool', () => {
    expect(lower('STRAU\u1e9e@EXAMPLE.COM')).toBe('strau\u00df@example.com');
    expect(key('STRAU\u1e9e@EXAMPLE.COM')).toBe(key('strau\u00df@example.com'));
    expect(key('STRAU\u1e9e@EXAMPLE.COM')).toBe(key('strauss@example.com'));
  });

  it.each([
    ['İ + cedilla', '\u0130\u0327', 'i\u0307\u0327'],
    ['ẞ + acute', '\u1e9e\u0301', '\u00df\u0301'],
    ['Ϊ + acute', '\u03aa\u0301', '\u03ca\u0301'],
    ['Ϋ + acute', '\u03ab\u0301', '\u03cb\u0301'],
  ])('gives %s the key of its lower case', (_name, username, lowered) => {
    expect(lower(username)).toBe(lowered);
    expect(key(username)).toBe(key(lowered));
  });

  it('keeps the merges lower-casing alone would miss', () => {
    expect(key('stra\u00dfe')).toBe(key('STRASSE'));
    expect(key('\u03bf\u03b4\u03bf\u03c2')).toBe(key('\u03bf\u03b4\u03bf\u03c3')); // final sigma
    expect(key('\u0131van')).toBe(key('ivan')); // dotless i
  });

  it('keeps case apart but still merges equivalent spellings when the pool is case-sensitive', () => {
    expect(usernameKey('STRAU\u1e9e', true)).not.toBe(usernameKey('strau\u00df', true));
    expect(usernameKey('Jane', true)).not.toBe(usernameKey('jane', true));
    expect(usernameKey('J\u00f6rg', true)).toBe(usernameKey('Jo\u0308rg', true));
    expect(foldUsername('\uff2aane', true)).toBe('Jane'); // fullwidth J: NFKC only
  });
});

describe('hashedKey', () => {
  it('gives the keys that stores such as Redis already hold: sha256, base64url, its first 32 characters', () => {
    expect(hashedKey('jane')).toBe('gfj23eiDZfOSh5bseqU_coILBtuGZPX-');
    expect(hashedKey('strauß@example.com')).toBe(
      createHash('sha256').update('strauß@example.com', 'utf8').digest('base64url').slice(0, 32),
    );
  });
});
