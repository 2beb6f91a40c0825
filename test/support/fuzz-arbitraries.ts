// Arbitraries for the property-based suite (test/integration/fuzz.test.ts): request bodies, usernames, client
// metadata, context data and header values, biased towards the edges that GraphQL coercion, the gateway's
// validation and Cognito's constraints care about (lengths around the limits, combining marks, variation
// selectors, astral and lone surrogates, control and separator characters, wrongly typed values).
import fc from 'fast-check';
import { RESEND } from './gateway-harness';

/** Single characters (or short clusters) that tend to break length counting, patterns or message shaping. */
export const TRICKY_UNITS: readonly string[] = [
  'a',
  'Z',
  '7',
  '.',
  '@',
  '_',
  '-',
  '+',
  '"',
  '\\',
  '; ',
  ': ',
  '<',
  '$',
  '\u00e9', // é
  '\u00df', // ß
  '\u4e2d', // 中
  '\u20ac', // €
  '\u{1F600}', // astral emoji (a surrogate pair)
  '\u{1F44D}\u{1F3FD}', // emoji with a skin-tone modifier
  '\u0301', // combining acute accent (a mark)
  '\uFE0F', // variation selector-16 (a mark)
  '\uFE0E', // variation selector-15 (a mark)
  '\u200D', // zero-width joiner (a format character)
  '\u200B', // zero-width space (a format character)
  '\uFEFF', // byte-order mark
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u007F',
  '\u00A0', // no-break space
  '\u2028', // line separator
  '\u3000', // ideographic space
  '\uD800', // lone high surrogate
  '\uDC00', // lone low surrogate
  '\uFFFD',
  '\u{E0001}', // language tag (a format character)
];

export function trickyString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...TRICKY_UNITS), minLength, maxLength, size: 'max' });
}

/** `count` copies of a unit, for lengths right around a limit. */
function repeated(units: readonly string[], min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...units), fc.integer({ min, max }))
    .map(([unit, count]) => unit.repeat(count));
}

/** Values of a type other than String (or a missing value), for GraphQL coercion to refuse. */
export const wrongScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(trickyString(0, 20), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), trickyString(0, 20), { maxKeys: 3 }),
);

// ---- usernames ------------------------------------------------------------------------------------------------

const USERNAME_FRIENDLY_UNITS = [
  'a',
  'Z',
  '0',
  '.',
  '@',
  '_',
  '-',
  '+',
  '\u00e9',
  '\u4e2d',
  '\u{1F600}',
  '\u0301',
];

/** Strings of 0-300 units from every kind of unit, plus names near the 128-character limit. */
export const usernameArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300, size: 'max' }),
  fc.string({ unit: 'grapheme-composite', maxLength: 300, size: 'max' }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300, size: 'max' }),
  trickyString(0, 300),
  fc.string({ unit: fc.constantFrom(...USERNAME_FRIENDLY_UNITS), minLength: 1, maxLength: 140, size: 'max' }),
  repeated(['u', '\u4e2d', '\u{1F600}', 'e\u0301', 'a\uFE0F'], 60, 140),
);

// ---- client metadata and user context data ----------------------------------------------------------------

export const metadataKeyArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 100, size: 'max' }),
  fc.string({ unit: 'grapheme', maxLength: 100, size: 'max' }),
  trickyString(0, 100),
  fc.constantFrom('', 'locale', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
  repeated(['k', '\u{1F600}', 'k\uFE0F'], 60, 68),
);

export const metadataValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: trickyString(0, 2000) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2000, size: 'max' }) },
  { weight: 1, arbitrary: repeated(['v', '\u{1F600}', 'v\uFE0F'], 1020, 1030) },
);

/** A well-typed entry (most of the time), or one with wrong or missing fields, an extra field, or no object. */
export const metadataEntryArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ key: metadataKeyArb, value: metadataValueArb }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { key: fc.oneof(metadataKeyArb, wrongScalar), value: fc.oneof(metadataValueArb, wrongScalar) },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ key: metadataKeyArb, value: metadataValueArb, extra: fc.jsonValue() }),
  },
  { weight: 1, arbitrary: wrongScalar },
);

/** 0-40 entries; sometimes entries repeated with the same key (a different value), to test distinctness. */
const metadataEntriesArb: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.array(metadataEntryArb, { maxLength: 2 }),
  fc.array(metadataEntryArb, { maxLength: 40 }),
  fc.array(metadataEntryArb, { minLength: 15, maxLength: 40, size: 'max' }),
  fc
    .array(metadataEntryArb, { minLength: 1, maxLength: 12 })
    .chain((entries) =>
      fc
        .subarray(entries, { minLength: 1 })
        .map((copies) => [
          ...entries,
          ...copies.map((copy) =>
            typeof copy === 'object' && copy !== null && !Array.isArray(copy)
              ? { ...copy, value: 'dup' }
              : copy,
          ),
        ]),
    ),
);

export const clientMetadataArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: metadataEntriesArb },
  { weight: 1, arbitrary: metadataEntryArb }, // a single value: GraphQL coerces it into a list of one
  { weight: 1, arbitrary: wrongScalar },
);

export const encodedDataArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constant(''),
  fc.string({ unit: 'binary', maxLength: 20_000, size: 'max' }),
  trickyString(0, 20_000),
  repeated(['e', '\u{1F600}'], 16_380, 16_390),
  // Emoji presentation sequences ("e" + VS16): 16,380-16,600 code points in under 64 KiB of JSON.
  repeated(['e\uFE0F'], 8_190, 8_300),
);

export const userContextDataArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ encodedData: encodedDataArb }) },
  { weight: 1, arbitrary: fc.record({ encodedData: wrongScalar }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ encodedData: encodedDataArb, extra: fc.jsonValue() }) },
  { weight: 1, arbitrary: wrongScalar },
);

// ---- whole request bodies -------------------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A username as a GraphQL string literal (JSON escapes are GraphQL escapes, except for lone surrogates). */
const literalMutation: fc.Arbitrary<string> = fc
  .array(fc.oneof(usernameArb, fc.constantFrom('jane', 'nobody@example.com')), { minLength: 1, maxLength: 8 })
  .map(
    (names) =>
      `mutation {\n${names
        .map(
          (name, i) =>
            `  r${i}: resendConfirmationCode(input: { username: ${JSON.stringify(name)} }) { codeDeliveryDetails { destination } }`,
        )
        .join('\n')}\n}`,
  );

const KNOWN_OPERATIONS = [
  RESEND,
  '{ serviceInfo { name version } }',
  '{ __typename }',
  '{ __schema { queryType { name } } }',
  'query A { serviceInfo { name } } query B { serviceInfo { version } }',
  'mutation { resendConfirmationCode(input: { username: 1 }) { codeDeliveryDetails { destination } } }',
  'mutation { resendConfirmationCode { __typename } }',
  'subscription { anything }',
  '{ serviceInfo { name @skip(if: $undeclared) } }',
  `${RESEND} fragment F on Query { serviceInfo { ...F } }`,
  'mutation',
  '',
];

/** A known operation with a slice cut out and random text put in its place. */
const mangledOperation: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...KNOWN_OPERATIONS),
    fc.nat(),
    fc.nat(),
    fc.string({ unit: 'binary-ascii', maxLength: 8 }),
  )
  .map(([op, a, b, insert]) => {
    const from = op.length === 0 ? 0 : a % op.length;
    const to = Math.min(op.length, from + (b % 12));
    return op.slice(0, from) + insert + op.slice(to);
  });

/** Operations assembled from parts: every operation type, with or without a name and variables. */
const assembledOperation: fc.Arbitrary<string> = fc
  .record({
    kind: fc.constantFrom('query', 'mutation', 'subscription', ''),
    name: fc.constantFrom('', 'Resend', 'Op'),
    variables: fc.constantFrom(
      '',
      '($input: ResendConfirmationCodeInput!)',
      '($input: String)',
      '($x: Int = 1)',
    ),
    fields: fc.array(
      fc.constantFrom(
        'serviceInfo { name version }',
        '__typename',
        'resendConfirmationCode(input: $input) { codeDeliveryDetails { destination deliveryMedium } }',
        'resendConfirmationCode(input: { username: "jane" }) { __typename }',
        'anything',
        'serviceInfo',
      ),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ kind, name, variables, fields }) => {
    const head = kind === '' ? '' : `${kind} ${name}${variables} `;
    return `${head}{ ${fields.join(' ')} }`;
  });

export const queryArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_OPERATIONS) },
  { weight: 3, arbitrary: assembledOperation },
  { weight: 3, arbitrary: literalMutation },
  { weight: 3, arbitrary: mangledOperation },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: anyJson },
);

const inputLike = fc.record(
  {
    username: fc.oneof(usernameArb, anyJson),
    clientMetadata: fc.oneof(clientMetadataArb, anyJson),
    userContextData: fc.oneof(userContextDataArb, anyJson),
    clientId: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: [] },
);

export const variablesArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ input: fc.oneof(inputLike, anyJson) }) },
  { weight: 1, arbitrary: anyJson },
);

const persistedQuery = fc.record(
  {
    persistedQuery: fc.record({
      version: fc.oneof(fc.integer(), anyJson),
      sha256Hash: fc.oneof(fc.string(), anyJson),
    }),
  },
  { requiredKeys: [] },
);

export const graphqlRequestArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    query: queryArb,
    variables: variablesArb,
    operationName: fc.oneof(fc.constantFrom('Resend', 'A', 'B', 'Nope', null), fc.string(), anyJson),
    extensions: fc.oneof(persistedQuery, anyJson),
  },
  { requiredKeys: [] },
);

/** Any JSON value as a request body: GraphQL-like objects most of the time, batches, scalars, anything. */
export const jsonBodyArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: graphqlRequestArb },
  // Requests without the noise of random operation names and extensions, which Apollo refuses early.
  {
    weight: 3,
    arbitrary: fc.record({ query: queryArb, variables: variablesArb }, { requiredKeys: ['query'] }),
  },
  { weight: 1, arbitrary: fc.array(graphqlRequestArb, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.jsonValue() },
);

/** Bodies that are mostly not JSON: random text, cut-off JSON, JSON with garbage around it. */
export const rawBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
  trickyString(0, 100),
  fc.json(),
  fc
    .tuple(
      jsonBodyArb.map((b) => JSON.stringify(b) ?? ''),
      fc.nat(),
    )
    .map(([text, cut]) => text.slice(0, text.length === 0 ? 0 : cut % text.length)),
  fc
    .tuple(
      fc.string({ unit: 'binary-ascii', maxLength: 4 }),
      fc.json(),
      fc.string({ unit: 'binary-ascii', maxLength: 4 }),
    )
    .map(([before, text, after]) => `${before}${text}${after}`),
);

// ---- headers ---------------------------------------------------------------------------------------------------

/** Printable ASCII only: fetch refuses header values with control or non-ASCII characters. */
const printable = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });

export const analyticsHeaderArb: fc.Arbitrary<string> = fc.oneof(
  printable(200),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
  fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/),
      fc.constantFrom('', ' ', '  '),
      fc.constantFrom('', ' '),
    )
    .map(([id, before, after]) => `${before}${id}${after}`),
  repeated(['a', '-', ':'], 125, 131),
);

const forwardedHop = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom(
    'unknown',
    '',
    ' ',
    '::ffff:203.0.113.7',
    'fe80::1%eth0',
    '999.1.1.1',
    '[::1]:443',
    '1.2.3.4:80',
  ),
  printable(30),
);

export const forwardedForArb: fc.Arbitrary<string> = fc.oneof(
  printable(200),
  fc
    .tuple(fc.array(forwardedHop, { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ', ', ' , '))
    .map(([hops, separator]) => hops.join(separator)),
);
