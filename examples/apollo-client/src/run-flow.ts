// The flow from a terminal, in two steps as a user would do it:
//   run-flow.ts <username> <password>   signs up (the code goes to the username's email)
//   run-flow.ts <username> <code>       confirms with the code received (or CONFIRMATION_CODE=<code>), and signs
//                                       in with the session confirmSignUp answers
// An argument of six digits is taken for a code. GATEWAY_URL defaults to http://localhost:4000/graphql.
import { confirmSignUp, createGatewayClient, type GatewayFailure, signIn, signUp } from './client';

async function main(): Promise<number> {
  const [username, secret = process.env.CONFIRMATION_CODE] = process.argv.slice(2);
  if (!username || !secret) {
    console.error('usage: run-flow.ts <username> <password | confirmation code>');
    return 2;
  }
  const client = createGatewayClient(process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql');

  if (/^\d{6}$/.test(secret)) {
    const confirmed = await confirmSignUp(client, { username, confirmationCode: secret });
    if (!confirmed.ok) return fail(confirmed.error);
    console.log(`${username} is confirmed and can sign in.`);
    const { session } = confirmed.data;
    if (!session) return 0;
    const signedIn = await signIn(client, { username, session });
    if (!signedIn.ok) return fail(signedIn.error);
    const { tokens, nextStep } = signedIn.data;
    if (nextStep) console.log(`Signing in needs one more step: ${nextStep.challenge}.`);
    // A terminal keeps no cookies: the refresh token the gateway set in one is dropped here.
    if (tokens)
      console.log(`Signed in with the confirmation session; the access token lasts ${tokens.expiresIn} s.`);
    return 0;
  }

  const signedUp = await signUp(client, {
    username,
    password: secret,
    userAttributes: [{ name: 'email', value: username }],
  });
  if (!signedUp.ok) return fail(signedUp.error);
  const { userSub, userConfirmed, codeDeliveryDetails } = signedUp.data;
  if (userConfirmed) {
    console.log(`${username} (${userSub}) needs no confirmation.`);
  } else {
    const sentTo = codeDeliveryDetails?.destination ?? 'the user';
    console.log(`Signed up ${username} (${userSub}); a code went to ${sentTo}.`);
    console.log(`Confirm with: run-flow.ts ${username} <code>`);
  }
  return 0;
}

function fail(error: GatewayFailure): number {
  console.error(`${error.code}: ${error.message}`);
  return 1;
}

main().then((status) => {
  process.exitCode = status;
});
