// A stand-in for a suite that speaks to it as users and operators do: an anonymous SDK client for the public
// calls, and an admin one (any credentials: the stand-in checks no signature) for the IAM calls.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type LocalCognito, type LocalCognitoOptions, startLocalCognito } from '../../src/local-cognito';

export interface StandInClients {
  cognito: LocalCognito;
  anonymous: CognitoIdentityProviderClient;
  admin: CognitoIdentityProviderClient;
}

export async function startStandInClients(options: LocalCognitoOptions = {}): Promise<StandInClients> {
  const cognito = await startLocalCognito(options);
  const client = (extra: Partial<ConstructorParameters<typeof CognitoIdentityProviderClient>[0]>) =>
    new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: cognito.url,
      maxAttempts: 1,
      ...extra,
    });
  return {
    cognito,
    anonymous: client({}),
    admin: client({ credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

export async function stopStandInClients({ cognito, anonymous, admin }: StandInClients): Promise<void> {
  anonymous.destroy();
  admin.destroy();
  await cognito.close();
}
