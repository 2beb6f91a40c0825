// The mutation field limit counts the mutation fields an operation executes, not its aliases: checked against
// graphql's own validate() on examples, and against graphql's own execute() on random documents.
import fc from 'fast-check';
import {
  buildSchema,
  type DocumentNode,
  executeSync,
  type GraphQLError,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { mutationFieldLimitRule } from '../../../src/graphql/mutation-field-limit.rule';

const MAX = 6;
const MESSAGE = 'At most 6 mutation fields may run in one request.';
const schema = buildSchema(`
  type Query { serviceInfo: Boolean }
  type Mutation { m1(n: Int): Boolean m2(n: Int): Boolean m3(n: Int): Boolean }
`);

function ruleErrors(document: DocumentNode): readonly GraphQLError[] {
  return validate(schema, document, [mutationFieldLimitRule(MAX)]);
}

function messages(source: string): string[] {
  return validate(schema, parse(source), [...specifiedRules, mutationFieldLimitRule(MAX)]).map(
    (e) => e.message,
  );
}

/** `a1: m1 ... aN: m1` */
function aliases(count: number, field = 'm1'): string {
  return Array.from({ length: count }, (_, i) => `a${i + 1}: ${field}(n: ${i})`).join(' ');
}

describe('mutationFieldLimitRule', () => {
  it('lets 6 mutation fields run (5 aliases and 1 plain) and refuses a seventh', () => {
    expect(messages(`mutation { ${aliases(5)} m2 }`)).toEqual([]);
    expect(messages(`mutation { ${aliases(5)} m2 m3 }`)).toEqual([MESSAGE]);
    expect(messages(`mutation { ${aliases(7)} }`)).toEqual([MESSAGE]);
  });

  it('counts a mutation field aliased `__typename`', () => {
    expect(messages(`mutation { __typename: m3 ${aliases(5)} m2 }`)).toEqual([MESSAGE]);
  });

  it('does not count the `__typename` field, under any alias', () => {
    expect(messages(`mutation { __typename t1: __typename t2: __typename ${aliases(5)} m2 }`)).toEqual([]);
    expect(messages('mutation { __typename }')).toEqual([]);
  });

  it('counts fields in fragment spreads and inline fragments', () => {
    const source = `mutation { ...A ... on Mutation { b1: m2 } ... { b2: m2 b3: m2 } }
      fragment A on Mutation { __typename: m3 ...B }
      fragment B on Mutation { a1: m1 a2: m1 m1 }`;
    expect(messages(source)).toEqual([MESSAGE]);
  });

  it('counts a field that graphql merges (same alias and field, or one fragment spread twice) once', () => {
    expect(messages(`mutation { ${aliases(5)} m2 m2 a1: m1(n: 0) ... { m2 } }`)).toEqual([]);
    const source = `mutation { ...A ...A ... { ...A } }
      fragment A on Mutation { ${aliases(6)} }`;
    expect(messages(source)).toEqual([]);
  });

  it('ends on fragment cycles (reported by graphql) and still counts the fields in them', () => {
    const source = `mutation { ...A }
      fragment A on Mutation { ${aliases(4)} ...B }
      fragment B on Mutation { b1: m2 b2: m2 b3: m2 ...A }`;
    const errors = ruleErrors(parse(source)).map((e) => e.message);
    expect(errors).toEqual([MESSAGE]);
    expect(messages(source)).toEqual(expect.arrayContaining([MESSAGE, expect.stringMatching(/itself/)]));
  });

  it('counts fields under @skip and @include as run, since their variables are not known yet', () => {
    expect(messages(`mutation ($no: Boolean!) { ${aliases(6)} m2 @include(if: $no) }`)).toEqual([MESSAGE]);
  });

  it('counts each operation of a document on its own and leaves queries alone', () => {
    expect(messages(`mutation A { ${aliases(6)} } mutation B { ${aliases(6)} }`)).toEqual([]);
    expect(
      messages(`query { ${Array.from({ length: 9 }, (_, i) => `q${i}: serviceInfo`).join(' ')} }`),
    ).toEqual([]);
  });

  it('reports where the operation is, without quoting it', () => {
    const [error] = ruleErrors(parse(`mutation Attack { ${aliases(7)} }`));
    expect(error?.locations).toEqual([{ line: 1, column: 1 }]);
    expect(error?.message).not.toMatch(/Attack|a1|m1/);
  });
});

// Random mutation documents: fields of three mutations and `__typename`, plain or aliased (some aliased
// `__typename`, some repeated so that graphql merges them), nested in inline fragments and in fragments that
// may spread later fragments. Built so that graphql's own rules accept them: fragments are acyclic and all
// used, and each response key names one field only (the key `__typename` names the document's `typenameField`,
// a mutation or `__typename` itself).
type Selection =
  | { kind: 'field'; name: string; alias: number | '__typename' | undefined }
  | { kind: 'inline'; typed: boolean; selections: Selection[] }
  | { kind: 'spread'; fragment: number };

const NAMES = ['m1', 'm2', 'm3', '__typename'];

const fieldArb: fc.Arbitrary<Selection> = fc.record({
  kind: fc.constant('field' as const),
  name: fc.constantFrom(...NAMES),
  alias: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constant('__typename' as const), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 },
  ),
});

function selectionsArb(spreadable: number[], depth: number): fc.Arbitrary<Selection[]> {
  const options: fc.Arbitrary<Selection>[] = [fieldArb, fieldArb, fieldArb, fieldArb];
  if (spreadable.length > 0)
    options.push(fc.constantFrom(...spreadable).map((fragment) => ({ kind: 'spread' as const, fragment })));
  if (depth > 0)
    options.push(
      fc.record({
        kind: fc.constant('inline' as const),
        typed: fc.boolean(),
        selections: selectionsArb(spreadable, depth - 1),
      }),
    );
  return fc.array(fc.oneof(...options), { minLength: 1, maxLength: 6 });
}

const documentArb = fc.record({
  typenameField: fc.constantFrom(...NAMES),
  operation: selectionsArb([0, 1, 2], 2),
  // Fragment i spreads only fragments after it.
  fragments: fc.tuple(selectionsArb([1, 2], 1), selectionsArb([2], 1), selectionsArb([], 1)),
});

function print(selections: Selection[], typenameField: string): string {
  return selections
    .map((s) => {
      if (s.kind === 'inline')
        return `...${s.typed ? ' on Mutation' : ''} { ${print(s.selections, typenameField)} }`;
      if (s.kind === 'spread') return `...F${s.fragment}`;
      if (s.alias === undefined && s.name !== '__typename') return s.name;
      if (s.alias === undefined || s.alias === '__typename') return `__typename: ${typenameField}`;
      return `${s.name}_${s.alias}: ${s.name}`;
    })
    .join(' ');
}

function spreads(selections: Selection[], into: Set<number>): Set<number> {
  for (const s of selections) {
    if (s.kind === 'spread') into.add(s.fragment);
    if (s.kind === 'inline') spreads(s.selections, into);
  }
  return into;
}

type GeneratedDocument = typeof documentArb extends fc.Arbitrary<infer T> ? T : never;

function printDocument({ typenameField, operation, fragments }: GeneratedDocument): string {
  // Only the fragments the operation reaches, since graphql refuses unused ones; fragment i reaches only
  // fragments after it, so one pass in order finds them all.
  const used = spreads(operation, new Set());
  fragments.forEach((selections, i) => {
    if (used.has(i)) spreads(selections, used);
  });
  return [
    `mutation { ${print(operation, typenameField)} }`,
    ...[...used].map((i) => `fragment F${i} on Mutation { ${print(fragments[i] ?? [], typenameField)} }`),
  ].join('\n');
}

describe('mutationFieldLimitRule on random documents', () => {
  it('passes a document exactly when graphql executes at most 6 mutation fields for it', () => {
    const seen = { passed: 0, refused: 0 };
    fc.assert(
      fc.property(documentArb, (generated) => {
        const document = parse(printDocument(generated));
        expect(validate(schema, document)).toEqual([]);

        let executed = 0;
        const run = () => {
          executed++;
          return true;
        };
        const result = executeSync({ schema, document, rootValue: { m1: run, m2: run, m3: run } });
        expect(result.errors).toBeUndefined();

        const passes = ruleErrors(document).length === 0;
        expect(passes).toBe(executed <= MAX);
        seen[passes ? 'passed' : 'refused']++;
      }),
      { seed: 20_610, numRuns: 2_000 },
    );
    // Both sides of the limit were explored.
    expect(seen.passed).toBeGreaterThan(400);
    expect(seen.refused).toBeGreaterThan(400);
  });
});
