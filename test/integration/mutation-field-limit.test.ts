// One request runs at most 6 mutation fields (GRAPHQL_MAX_ALIASES 5, plus one unaliased field), however the
// fields are spelled: aliases named `__typename`, fragments and inline fragments included. Counted by what
// reached the stand-in Cognito, since every mutation field may send a paid SMS or email. Its documents are its
// own on purpose: the shared ones hold one unaliased field each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';

const FIELDS = 'codeDeliveryDetails { destination deliveryMedium attributeName }';
const MUTATION_OPERATIONS = new Set(['SignUp', 'ResendConfirmationCode', 'ConfirmSignUp']);

function resendField(key: string, username: string): string {
  const alias = key === 'resendConfirmationCode' ? '' : `${key}: `;
  return `${alias}resendConfirmationCode(input: { username: ${JSON.stringify(username)} }) { ${FIELDS} }`;
}

function signUpField(username: string): string {
  return `signUp(input: { username: ${JSON.stringify(username)}, password: "correct-horse-battery",
    userAttributes: [{ name: "email", value: "${username}@example.com" }] }) { userSub }`;
}

function confirmSignUpField(username: string): string {
  return `confirmSignUp(input: { username: ${JSON.stringify(username)}, confirmationCode: "000000" }) { confirmed }`;
}

describe('the mutation field limit', () => {
  let h: Harness;
  const users = Array.from({ length: 7 }, (_, i) => `field.limit.${i}`);

  beforeAll(async () => {
    h = await startHarness();
    for (const u of users) await h.signUp(u);
  });
  afterAll(() => h.close());

  async function upstreamCallsOf(query: string) {
    h.standIn.calls.length = 0;
    const res = await h.graphql({ query });
    return { res, calls: h.standIn.calls.filter((c) => MUTATION_OPERATIONS.has(c.action)).length };
  }

  /** A validation failure: answered 200 in application/json (what the harness's fetch accepts), per GraphQL-over-HTTP. */
  function expectRefusedBeforeCognito({ res, calls }: Awaited<ReturnType<typeof upstreamCallsOf>>) {
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'At most 6 mutation fields may run in one request.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ]),
    );
    expect(calls).toBe(0);
  }

  it('refuses `__typename:` as an alias of a mutation beside 5 aliases and a plain field (7 fields)', async () => {
    const query = `mutation Attack {
      ${resendField('__typename', users[0] as string)}
      ${[1, 2, 3, 4, 5].map((i) => resendField(`a${i}`, users[i] as string)).join('\n')}
      ${resendField('resendConfirmationCode', users[6] as string)}
    }`;
    expectRefusedBeforeCognito(await upstreamCallsOf(query));
  });

  it('refuses 9 fields across all three mutations, each also run once unaliased', async () => {
    const query = `mutation Attack {
      ${resendField('__typename', users[0] as string)}
      ${[1, 2, 3, 4, 5].map((i) => resendField(`a${i}`, users[i] as string)).join('\n')}
      ${resendField('resendConfirmationCode', users[6] as string)}
      ${signUpField('field.limit.new')}
      ${confirmSignUpField(users[0] as string)}
    }`;
    expectRefusedBeforeCognito(await upstreamCallsOf(query));
  });

  it('refuses the same fields spread over fragments and inline fragments', async () => {
    const query = `mutation Attack {
      ...First
      ... on Mutation { ${resendField('a1', users[1] as string)} }
      ... { ${resendField('a2', users[2] as string)} }
    }
    fragment First on Mutation {
      ${resendField('__typename', users[0] as string)}
      ${resendField('a3', users[3] as string)}
      ...Second
    }
    fragment Second on Mutation {
      ${resendField('a4', users[4] as string)}
      ${resendField('a5', users[5] as string)}
      ${resendField('resendConfirmationCode', users[6] as string)}
    }`;
    expectRefusedBeforeCognito(await upstreamCallsOf(query));
  });

  it('runs exactly 6 mutation fields (5 aliases and 1 plain), beside a `__typename` field', async () => {
    const query = `mutation Six {
      __typename
      ${[1, 2, 3, 4, 5].map((i) => resendField(`a${i}`, users[i] as string)).join('\n')}
      ${resendField('resendConfirmationCode', users[6] as string)}
    }`;
    const { res, calls } = await upstreamCallsOf(query);
    expect(res.body.errors).toBeUndefined();
    expect(Object.keys(res.body.data)).toHaveLength(7);
    expect(calls).toBe(6);
  });

  it('still answers the `__typename` field on the mutation and the query root', async () => {
    expect((await h.graphql({ query: 'mutation { __typename }' })).body).toEqual({
      data: { __typename: 'Mutation' },
    });
    const query = await h.graphql({ query: '{ __typename serviceInfo { name } }' });
    expect(query.status).toBe(200);
    expect(query.body.errors).toBeUndefined();
    expect(query.body.data.__typename).toBe('Query');
  });
});
