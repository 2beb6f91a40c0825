// Arbitraries for the property-based suite (test/integration/fuzz/): request bodies, usernames, client
// metadata, context data, sign-up, confirmation and sign-in inputs, codes typed back and header values, biased
// towards the edges that GraphQL coercion, the gateway's validation and Cognito's constraints care about
// (lengths around the limits, combining marks, variation selectors, astral and lone surrogates, control and
// separator characters, whitespace, repeated names, near-miss enum values, wrongly typed values).
import fc from 'fast-check';
import { CODE_CHALLENGES, isValidUsername, SIGN_IN_CHALLENGES, SIGN_IN_FACTORS } from './fuzz-checks';
import { CONFIRM_SIGN_UP, RESEND_CONFIRMATION_CODE, SIGN_UP } from './user-pool-requests';

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

/**
 * One unit repeated to `limit` - 1, `limit` or `limit` + 1 UTF-16 units (rounded down for longer units), so
 * that the limit itself and both its neighbours come up often.
 */
function nearLimit(units: readonly string[], limit: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...units), fc.integer({ min: -1, max: 1 }))
    .map(([unit, delta]) => unit.repeat(Math.floor((limit + delta) / unit.length)));
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

/**
 * A value for an input object with these String fields: well-typed `weight` times in `weight` + 3, otherwise
 * with wrong or missing fields, with an extra field, or no object at all.
 */
function inputObjectArb(fields: Record<string, fc.Arbitrary<string>>, weight: number): fc.Arbitrary<unknown> {
  const loose = Object.fromEntries(
    Object.entries(fields).map(([name, arb]) => [name, fc.oneof(arb, wrongScalar)] as const),
  );
  return fc.oneof(
    { weight, arbitrary: fc.record(fields) },
    { weight: 1, arbitrary: fc.record(loose, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.record({ ...fields, extra: fc.jsonValue() }) },
    { weight: 1, arbitrary: wrongScalar },
  );
}

/** Entries, then some of them again with the same key or name and another value, to test distinctness. */
function withRepeats(entry: fc.Arbitrary<unknown>, maxLength: number): fc.Arbitrary<unknown[]> {
  return fc
    .array(entry, { minLength: 1, maxLength })
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
    );
}

interface ListShape {
  /** Of the plain lists. */
  maxLength: number;
  /** Of the lists before some of their entries are repeated. */
  repeatsMaxLength: number;
  /** Lists sized around the field's limit. */
  aroundLimit: fc.Arbitrary<unknown[]>;
}

/**
 * A value for a list-of-input-objects field: lists of `entry` (short, up to `maxLength`, `aroundLimit`
 * lists sized around the field's limit, lists with repeats), a single entry (GraphQL coerces it into a list
 * of one) or some other value.
 */
function inputListArb(
  entry: fc.Arbitrary<unknown>,
  { maxLength, repeatsMaxLength, aroundLimit }: ListShape,
): fc.Arbitrary<unknown> {
  const lists = fc.oneof(
    fc.array(entry, { maxLength: 2 }),
    fc.array(entry, { maxLength }),
    aroundLimit,
    withRepeats(entry, repeatsMaxLength),
  );
  return fc.oneof(
    { weight: 10, arbitrary: lists },
    { weight: 1, arbitrary: entry },
    { weight: 1, arbitrary: wrongScalar },
  );
}

export const metadataEntryArb: fc.Arbitrary<unknown> = inputObjectArb(
  { key: metadataKeyArb, value: metadataValueArb },
  12,
);

/** 0-40 entries (the limit is 20); sometimes entries repeated with the same key. */
export const clientMetadataArb: fc.Arbitrary<unknown> = inputListArb(metadataEntryArb, {
  maxLength: 40,
  repeatsMaxLength: 12,
  aroundLimit: fc.array(metadataEntryArb, { minLength: 15, maxLength: 40, size: 'max' }),
});

export const encodedDataArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constant(''),
  fc.string({ unit: 'binary', maxLength: 20_000, size: 'max' }),
  trickyString(0, 20_000),
  repeated(['e', '\u{1F600}'], 16_380, 16_390),
  // Emoji presentation sequences ("e" + VS16): 16,380-16,600 code points in under 64 KiB of JSON.
  repeated(['e\uFE0F'], 8_190, 8_300),
);

export const userContextDataArb: fc.Arbitrary<unknown> = inputObjectArb({ encodedData: encodedDataArb }, 8);

/** Absent three times in four: for inputs whose own fields are the subject, the shared ones now and then. */
function sometimes(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

// ---- signUp ----------------------------------------------------------------------------------------------------

/** Mostly well-formed, rarely colliding usernames (so that most sign-ups create a user), and any username. */
const signUpUsernameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{5,30}@example\.(com|org)$/) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.constantFrom(...USERNAME_FRIENDLY_UNITS), minLength: 6, maxLength: 60 }),
  },
  { weight: 1, arbitrary: usernameArb },
);

/** Passwords around the 256-unit limit (astral and lone surrogates count as units), with whitespace, empty. */
export const passwordArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 8, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300, size: 'max' }) },
  { weight: 2, arbitrary: trickyString(0, 300) },
  {
    weight: 2,
    arbitrary: nearLimit(['p', '\uD800', ' ', '\u0000', '\u{1F600}', 'p\uFE0F', '\uDBFF\uDFFF'], 256),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t',
      'correct horse battery staple',
      ' Leading-space-1',
      'Trailing-space-1 ',
      'Nul\u0000in-the-middle',
      'lone\uD83Dhigh-surrogate',
      'line\u2028separator',
    ),
  },
);

/** Standard names (Cognito owns `sub` and the *_verified flags) and custom ones, a few past 32 units. */
const wellFormedAttributeNameArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'email',
      'phone_number',
      'name',
      'given_name',
      'locale',
      'custom:team',
      'custom:plan',
      'sub',
      'email_verified',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^custom:[a-z0-9_]{1,30}$/) },
  { weight: 1, arbitrary: nearLimit(['n', 'x'], 32 - 'custom:'.length).map((name) => `custom:${name}`) },
);

export const attributeNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: wellFormedAttributeNameArb },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: trickyString(0, 40) },
  { weight: 1, arbitrary: nearLimit(['n', '\u{1F600}', 'n\u0301', '\u4e2d'], 32) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'e mail', 'email ', '__proto__', 'constructor', 'custom:'),
  },
);

export const attributeValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.stringMatching(/^\+[0-9]{4,15}$/) },
  { weight: 1, arbitrary: trickyString(0, 2100) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2100, size: 'max' }) },
  { weight: 3, arbitrary: nearLimit(['v', '\uDC00', '\u{1F600}', 'v\uFE0F'], 2048) },
);

/** 98-102 attributes with valid, distinct names (the limit is 100), small enough for the 64 KiB body limit. */
const attributesAroundLimitArb = fc
  .integer({ min: 98, max: 102 })
  .chain((length) =>
    fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^custom:[a-z0-9]{1,24}$/), value: fc.string({ maxLength: 8 }) }),
      { selector: (attribute) => attribute.name, minLength: length, maxLength: length },
    ),
  );

/** userAttributes or validationData: anything from wrongly typed values to 0-12 entries of any kind. */
export const attributeListArb: fc.Arbitrary<unknown> = inputListArb(
  inputObjectArb({ name: attributeNameArb, value: attributeValueArb }, 12),
  { maxLength: 12, repeatsMaxLength: 6, aroundLimit: attributesAroundLimitArb },
);

/** Well-typed attributes, their names well-formed most of the time: what a sign-up form sends. */
const attributeArb = fc.record({
  name: fc.oneof(
    { weight: 4, arbitrary: wellFormedAttributeNameArb },
    { weight: 1, arbitrary: attributeNameArb },
  ),
  value: attributeValueArb,
});
const wellTypedAttributesArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.array(attributeArb, { maxLength: 4 }) },
  { weight: 1, arbitrary: withRepeats(attributeArb, 4) },
  { weight: 1, arbitrary: attributesAroundLimitArb },
);

/** A String the schema requires: a string (most of the time), another type, null, or nothing. */
function requiredString(arb: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 16, arbitrary: arb },
    { weight: 1, arbitrary: wrongScalar },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A password within the pool's policy, and attributes a sign-up form sends: for inputs about other fields. */
const plainPasswordArb = fc.string({ minLength: 8, maxLength: 40 });
const plainAttributesArb = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('email', 'name', 'locale', 'custom:team'),
    value: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 })),
  }),
  { selector: (attribute) => attribute.name, maxLength: 2 },
);

/**
 * Inputs for signUp, now and then with one of `takenUsernames` (users the test signed up already). Most are
 * about one field, the password or the attribute lists, with plain values elsewhere, so that the edges of
 * that field decide the outcome; the rest have anything anywhere.
 */
export function signUpInputArb(takenUsernames: readonly string[]) {
  const username = fc.oneof(
    { weight: 8, arbitrary: signUpUsernameArb },
    { weight: 1, arbitrary: fc.constantFrom(...takenUsernames) },
  );
  const password = requiredString(passwordArb);
  const attributes = fc.oneof(
    { weight: 4, arbitrary: wellTypedAttributesArb },
    { weight: 1, arbitrary: attributeListArb },
  );
  const required: { requiredKeys: ('username' | 'password')[] } = { requiredKeys: ['username', 'password'] };
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ username, password, userAttributes: plainAttributesArb }, required) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          username,
          password: plainPasswordArb,
          userAttributes: attributes,
          validationData: sometimes(attributes),
        },
        required,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          username,
          password,
          userAttributes: attributes,
          validationData: sometimes(attributes),
          clientMetadata: sometimes(clientMetadataArb),
          userContextData: sometimes(userContextDataArb),
        },
        required,
      ),
    },
  );
}

// ---- confirmSignUp ---------------------------------------------------------------------------------------------

/** Codes with whitespace somewhere (of every kind JavaScript's \s matches), empty, or nearly digits. */
const CODE_EDGE_CASES = [
  '',
  ' ',
  '123 456',
  ' 123456',
  '123456\n',
  '123456\u00A0',
  '\u3000123456',
  '12\u000B34',
  '\uFEFF123456',
  '123456\u2028',
  '123\u200B456', // a zero-width space is no whitespace
  '123\u0000456',
];

/** Codes: six digits, any text, whitespace anywhere, empty, and around the 2048-unit limit. */
export const confirmationCodeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[0-9]{6}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: trickyString(0, 40) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2100, size: 'max' }) },
  { weight: 2, arbitrary: nearLimit(['7', '\uDC00', '\u{1F600}', '7\uFE0F'], 2048) },
  { weight: 2, arbitrary: fc.constantFrom(...CODE_EDGE_CASES) },
);

export const forceAliasCreationArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 0, 1, [true], { value: true }) },
  { weight: 1, arbitrary: wrongScalar },
);

/** Inputs for confirmSignUp, for one of `usernames` (users the test knows the state of). */
export function confirmSignUpInputArb(usernames: readonly string[]) {
  return fc.record(
    {
      username: fc.constantFrom(...usernames),
      confirmationCode: requiredString(confirmationCodeArb),
      forceAliasCreation: forceAliasCreationArb,
      clientMetadata: sometimes(clientMetadataArb),
      userContextData: sometimes(userContextDataArb),
    },
    { requiredKeys: ['username', 'confirmationCode'] },
  );
}

// ---- signIn and respondToSignInChallenge ---------------------------------------------------------------------

/** Sessions as Cognito issues them: base64 of about 1,000 characters. */
const cognitoLikeSessionArb = fc.base64String({ minLength: 20, maxLength: 1400 });

/** Sessions: Cognito-like ones, any text, empty, and around the 2048-unit limit. */
export const sessionArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: cognitoLikeSessionArb },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: trickyString(0, 100) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2100, size: 'max' }) },
  { weight: 2, arbitrary: nearLimit(['s', '=', '\uDC00', '\u{1F600}', 's\uFE0F'], 2048) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', 'undefined', '\u0000') },
);

/** One-time and MFA codes: six to eight digits, any text, whitespace anywhere, around the 64-unit limit. */
export const signInCodeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9]{6,8}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: trickyString(0, 70) },
  { weight: 2, arbitrary: nearLimit(['7', '\uDC00', '\u{1F600}', '7\uFE0F'], 64) },
  { weight: 2, arbitrary: fc.constantFrom(...CODE_EDGE_CASES) },
);

/** Proof-of-work responses: ignored while no challenge is needed, but held to their 1-4096 units. */
const challengeResponseArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.base64String({ maxLength: 800 }),
  nearLimit(['c', '\u{1F600}'], 4096),
);

/**
 * An enum field as a variable: one of `values` most of the time, else a near miss (another enum's value,
 * another case, padded, empty), any text, or no string at all.
 */
function enumArb(values: readonly string[], nearMisses: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...values) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ...nearMisses,
        ...values.map((value) => value.toLowerCase()),
        ...values.map((value) => `${value} `),
        '',
      ),
    },
    { weight: 1, arbitrary: trickyString(0, 20) },
    { weight: 1, arbitrary: wrongScalar },
  );
}

/** A nullable String: mostly a value, now and then null, absent or of another type. */
function nullableString(arb: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: arb },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: wrongScalar },
  );
}

const factorArb = enumArb(SIGN_IN_FACTORS, ['SELECT_CHALLENGE', 'SMS_MFA', 'PASSWORD_SRP', 'WEB_AUTHN']);
const challengeArb = enumArb(SIGN_IN_CHALLENGES, ['SIGN_IN', 'OTP', 'EMAIL']);

/** A username of a user the test knows, now and then; any username otherwise. */
export function someUsernameArb(usernames: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...usernames) },
    { weight: 2, arbitrary: usernameArb },
    { weight: 1, arbitrary: wrongScalar },
  );
}

/** The fields every sign-in call takes besides its own: the username, now and then the shared extras. */
function signInCallFields(username: fc.Arbitrary<unknown>) {
  return {
    username,
    clientMetadata: sometimes(clientMetadataArb),
    userContextData: sometimes(userContextDataArb),
    challengeResponse: sometimes(fc.oneof(challengeResponseArb, wrongScalar)),
  };
}

/** `fields` with `own`'s drawn on top: one record whose keys absent from a draw stay absent. */
function withOwn(
  fields: Record<string, fc.Arbitrary<unknown>>,
  own: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.record(fields, { requiredKeys: ['username'] }), own)
    .map(([shared, drawn]) => ({ ...shared, ...drawn }));
}

/**
 * Inputs for signIn with these usernames, and now and then one of `passwords` (the known users'). Most take
 * one of the ways in (the session alone; the password with or without PASSWORD; a one-time code's factor; the
 * username alone) with values of every kind; the rest mix the three fields at random.
 */
export function signInInputArb(username: fc.Arbitrary<unknown>, passwords: readonly string[]) {
  const password = requiredString(fc.oneof(passwordArb, fc.constantFrom(...passwords)));
  const wayIn = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ password, preferredChallenge: fc.constantFrom(undefined, null, 'PASSWORD') }),
    },
    { weight: 2, arbitrary: fc.record({ session: requiredString(sessionArb) }) },
    { weight: 2, arbitrary: fc.record({ preferredChallenge: fc.constantFrom('EMAIL_OTP', 'SMS_OTP') }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          password: nullableString(passwordArb),
          session: nullableString(sessionArb),
          preferredChallenge: factorArb,
        },
        { requiredKeys: [] },
      ),
    },
  );
  return withOwn(signInCallFields(username), wayIn);
}

/**
 * Inputs for respondToSignInChallenge, for one of `usernames` or anyone, with sessions the pool never issued
 * (mostly Cognito-like ones, so that the answer's own fields decide the outcome). Most answer one challenge
 * with what it takes (a code, a new password with attributes, a factor chosen), with values of every kind; the
 * rest mix every field at random.
 */
export function respondToSignInChallengeInputArb(usernames: readonly string[]) {
  const codeChallenge = fc.constantFrom(...Object.keys(CODE_CHALLENGES));
  const answer = fc.oneof(
    { weight: 4, arbitrary: fc.record({ challenge: codeChallenge, code: requiredString(signInCodeArb) }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          challenge: fc.constant('NEW_PASSWORD_REQUIRED'),
          newPassword: requiredString(passwordArb),
          userAttributes: sometimes(fc.oneof(wellTypedAttributesArb, attributeListArb)),
        },
        { requiredKeys: ['challenge', 'newPassword'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          challenge: fc.constant('SELECT_CHALLENGE'),
          answer: challengeArb,
          password: nullableString(passwordArb),
        },
        { requiredKeys: ['challenge', 'answer'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          challenge: fc.oneof(challengeArb, fc.constant(undefined)),
          code: nullableString(signInCodeArb),
          newPassword: nullableString(passwordArb),
          userAttributes: sometimes(attributeListArb),
          answer: challengeArb,
          password: nullableString(passwordArb),
        },
        { requiredKeys: [] },
      ),
    },
  );
  return withOwn(
    {
      ...signInCallFields(someUsernameArb(usernames)),
      session: fc.oneof({ weight: 2, arbitrary: cognitoLikeSessionArb }, requiredString(sessionArb)),
    },
    answer as fc.Arbitrary<Record<string, unknown>>,
  );
}

/** Usernames Cognito's UsernameType refuses: empty, too long, with whitespace or control characters. */
export const malformedUsernameArb: fc.Arbitrary<string> = fc.oneof(
  usernameArb.filter((username) => !isValidUsername(username)),
  fc.constantFrom('', ' ', 'jane doe', 'jane\t', '\u0000', 'x'.repeat(129), '\u{1F600}'.repeat(65)),
);

/** How a code typed back may differ from the one sent: whitespace, other digits, a digit more or less. */
export const CODE_ALTERATIONS: Readonly<Record<string, (code: string) => string>> = {
  'trailing space': (code) => `${code} `,
  'leading newline': (code) => `\n${code}`,
  'space in the middle': (code) => `${code.slice(0, 3)} ${code.slice(3)}`,
  'trailing no-break space': (code) => `${code}\u00A0`,
  'zero-width space in the middle': (code) => `${code.slice(0, 3)}\u200B${code.slice(3)}`,
  'fullwidth digits': (code) => code.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
  'Arabic-Indic digits': (code) => code.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))),
  'a digit more': (code) => `${code}0`,
  'a digit less': (code) => code.slice(1),
  'last digit changed': (code) => `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`,
  twice: (code) => code.repeat(2),
};

/** An answer to a code that was sent: the code itself, the code altered, or another code altogether. */
export type CodeAttempt =
  | { kind: 'sent' }
  | { kind: 'altered'; alteration: string }
  | { kind: 'other'; code: string };

export const codeAttemptArb: fc.Arbitrary<CodeAttempt> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'sent' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...Object.keys(CODE_ALTERATIONS))
      .map((alteration) => ({ kind: 'altered' as const, alteration })),
  },
  { weight: 3, arbitrary: signInCodeArb.map((code) => ({ kind: 'other' as const, code })) },
);

/** The code an attempt types, given the code that was sent. */
export function attemptedCode(attempt: CodeAttempt, sent: string): string {
  if (attempt.kind === 'sent') return sent;
  if (attempt.kind === 'other') return attempt.code;
  return CODE_ALTERATIONS[attempt.alteration]?.(sent) ?? sent;
}

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
  RESEND_CONFIRMATION_CODE,
  SIGN_UP,
  CONFIRM_SIGN_UP,
  '{ serviceInfo { name version } }',
  '{ __typename }',
  '{ __schema { queryType { name } } }',
  'query A { serviceInfo { name } } query B { serviceInfo { version } }',
  'mutation { resendConfirmationCode(input: { username: 1 }) { codeDeliveryDetails { destination } } }',
  'mutation { resendConfirmationCode { __typename } }',
  'mutation { signUp(input: { username: "jane", password: 1 }) { userSub } }',
  'mutation { confirmSignUp(input: { username: "jane", confirmationCode: "123456", forceAliasCreation: "yes" }) { confirmed } }',
  'subscription { anything }',
  '{ serviceInfo { name @skip(if: $undeclared) } }',
  `${RESEND_CONFIRMATION_CODE} fragment F on Query { serviceInfo { ...F } }`,
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
    name: fc.constantFrom('', 'Resend', 'SignUp', 'Confirm', 'Op'),
    variables: fc.constantFrom(
      '',
      '($input: ResendConfirmationCodeInput!)',
      '($input: SignUpInput!)',
      '($input: ConfirmSignUpInput!)',
      '($input: String)',
      '($x: Int = 1)',
    ),
    fields: fc.array(
      fc.constantFrom(
        'serviceInfo { name version }',
        '__typename',
        'resendConfirmationCode(input: $input) { codeDeliveryDetails { destination deliveryMedium } }',
        'resendConfirmationCode(input: { username: "jane" }) { __typename }',
        'signUp(input: $input) { userConfirmed userSub codeDeliveryDetails { destination } }',
        'confirmSignUp(input: $input) { confirmed }',
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

/** Variables with the fields of any of the mutations' inputs, mixed (and some the schema does not have). */
const inputLike = fc.record(
  {
    username: fc.oneof(usernameArb, anyJson),
    clientMetadata: fc.oneof(clientMetadataArb, anyJson),
    userContextData: fc.oneof(userContextDataArb, anyJson),
    password: fc.oneof(passwordArb, anyJson),
    userAttributes: fc.oneof(attributeListArb, anyJson),
    confirmationCode: fc.oneof(confirmationCodeArb, anyJson),
    forceAliasCreation: forceAliasCreationArb,
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
    operationName: fc.oneof(
      fc.constantFrom('Resend', 'SignUp', 'Confirm', 'A', 'B', 'Nope', null),
      fc.string(),
      anyJson,
    ),
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
