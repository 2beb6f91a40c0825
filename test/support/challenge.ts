// Solves the gateway's proof-of-work challenges as the ALTCHA widget does, with altcha-lib's own solver, and
// packs the answer the way the widget sends it (base64 JSON of { challenge, solution }): what a frontend
// puts in `challengeResponse`. Also the forgeries the tests try.

import type * as Pbkdf2 from 'altcha-lib/dist/cjs/v2/algorithms/pbkdf2';
import type * as AltchaLib from 'altcha-lib/dist/cjs/v2/index';
import type { Challenge, Solution } from 'altcha-lib/dist/cjs/v2/types';

const { solveChallenge } = require('altcha-lib') as typeof AltchaLib;
const { deriveKey } = require('altcha-lib/algorithms/pbkdf2') as typeof Pbkdf2;

export type { Challenge, Solution };

export async function solve(challenge: Challenge): Promise<Solution> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error('the challenge was not solved within 30 s');
  return solution;
}

/** The widget's payload: base64 of the JSON of the challenge (parameters and signature) and the solution. */
export function responseOf(challenge: Challenge, solution: Solution): string {
  const { parameters, signature } = challenge;
  return Buffer.from(JSON.stringify({ challenge: { parameters, signature }, solution })).toString('base64');
}

export async function solvedResponse(challenge: Challenge): Promise<string> {
  return responseOf(challenge, await solve(challenge));
}

/** A second solution of the same challenge: the next counter after `after` whose key also has the prefix. */
export async function anotherSolution(challenge: Challenge, after: Solution): Promise<Solution> {
  const solution = await solveChallenge({ challenge, deriveKey, counterStart: after.counter + 1 });
  if (!solution) throw new Error('no second solution found');
  return solution;
}

/** GET /challenge of a gateway whose GraphQL URL is `graphqlUrl`. */
export async function fetchChallenge(graphqlUrl: string): Promise<Challenge> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, '/challenge'));
  if (res.status !== 200) throw new Error(`GET /challenge answered ${res.status}`);
  return (await res.json()) as Challenge;
}

/** A solved challenge from a gateway, as its challengeResponse. */
export async function solvedFrom(graphqlUrl: string): Promise<string> {
  return solvedResponse(await fetchChallenge(graphqlUrl));
}
