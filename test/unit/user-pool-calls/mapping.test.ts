import { describe, expect, it } from 'vitest';
import { ClientSecretSource } from '../../../src/cognito/client-secret-source';
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import { Secret } from '../../../src/secret';
import { resendConfirmationCodeCall } from '../../../src/user-pool-calls/resend-confirmation-code/call';
import { ResendConfirmationCodeInput } from '../../../src/user-pool-calls/resend-confirmation-code/input';
import { toCodeDeliveryDetails } from '../../../src/user-pool-calls/shared/code-delivery-details.mapping';
import { DeliveryMedium } from '../../../src/user-pool-calls/shared/delivery-medium.enum';
import type { CallerInfo, UserPoolCallSettings } from '../../../src/user-pool-calls/shared/request-fields';
import { toRequest } from '../../../src/user-pool-calls/user-pool-call';

const CLIENT_ID = 'abcdefghijklmnopqrstuvwxyz';
const SECRET = 'the-client-secret-0123456789';

function input(fields: Partial<ResendConfirmationCodeInput>): ResendConfirmationCodeInput {
  return Object.assign(new ResendConfirmationCodeInput(), { username: 'jane', ...fields });
}

function toResendConfirmationCodeRequest(
  value: ResendConfirmationCodeInput,
  settings: UserPoolCallSettings,
  caller: CallerInfo,
) {
  return toRequest(resendConfirmationCodeCall, value, settings, caller);
}

const allOn = {
  clientId: CLIENT_ID,
  clientSecret: new ClientSecretSource(new Secret(SECRET)),
  sendUserContextIp: true,
  analyticsEnabled: true,
};

describe('toResendConfirmationCodeRequest', () => {
  it('maps every field of the request model', () => {
    const request = toResendConfirmationCodeRequest(
      input({
        username: 'Jane.Doe@example.com',
        clientMetadata: [
          { key: 'locale', value: 'de' },
          { key: 'campaign', value: 'spring' },
        ],
        userContextData: { encodedData: 'ZW5jb2RlZA==' },
      }),
      allOn,
      { clientIp: '203.0.113.9', analyticsEndpointId: 'endpoint-1' },
    );
    expect(request).toEqual({
      ClientId: CLIENT_ID,
      Username: 'Jane.Doe@example.com',
      SecretHash: computeSecretHash('Jane.Doe@example.com', CLIENT_ID, SECRET),
      AnalyticsMetadata: { AnalyticsEndpointId: 'endpoint-1' },
      ClientMetadata: { locale: 'de', campaign: 'spring' },
      UserContextData: { IpAddress: '203.0.113.9', EncodedData: 'ZW5jb2RlZA==' },
    });
  });

  it('omits SecretHash when the app client has no secret', () => {
    const request = toResendConfirmationCodeRequest(
      input({}),
      { clientId: CLIENT_ID, sendUserContextIp: false, analyticsEnabled: false },
      {},
    );
    expect(request).toEqual({ ClientId: CLIENT_ID, Username: 'jane' });
  });

  it('leaves out analytics metadata when analytics is disabled, even with an endpoint id', () => {
    const request = toResendConfirmationCodeRequest(
      input({}),
      { ...allOn, analyticsEnabled: false },
      {
        analyticsEndpointId: 'endpoint-1',
      },
    );
    expect(request.AnalyticsMetadata).toBeUndefined();
  });

  it('sends the caller IP only when SEND_USER_CONTEXT_IP is on', () => {
    const off = toResendConfirmationCodeRequest(
      input({}),
      { ...allOn, sendUserContextIp: false },
      {
        clientIp: '203.0.113.9',
      },
    );
    expect(off.UserContextData).toBeUndefined();
    const on = toResendConfirmationCodeRequest(input({}), allOn, { clientIp: '203.0.113.9' });
    expect(on.UserContextData).toEqual({ IpAddress: '203.0.113.9' });
  });

  it('sends encoded data without an IP when IP forwarding is off', () => {
    const request = toResendConfirmationCodeRequest(
      input({ userContextData: { encodedData: 'abc' } }),
      { ...allOn, sendUserContextIp: false },
      { clientIp: '203.0.113.9' },
    );
    expect(request.UserContextData).toEqual({ EncodedData: 'abc' });
  });

  it('leaves out empty client metadata', () => {
    expect(
      toResendConfirmationCodeRequest(input({ clientMetadata: [] }), allOn, {}).ClientMetadata,
    ).toBeUndefined();
  });

  it('computes the SecretHash over the username exactly as given', () => {
    const request = toResendConfirmationCodeRequest(input({ username: 'JÖRG' }), allOn, {});
    expect(request.SecretHash).toBe(computeSecretHash('JÖRG', CLIENT_ID, SECRET));
    expect(request.SecretHash).not.toBe(computeSecretHash('jörg', CLIENT_ID, SECRET));
  });
});

describe('toCodeDeliveryDetails', () => {
  it('maps Cognito delivery details onto the GraphQL type', () => {
    expect({
      ...toCodeDeliveryDetails({ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }),
    }).toEqual({ destination: 'j***@e***', deliveryMedium: DeliveryMedium.EMAIL, attributeName: 'email' });
  });

  it('maps SMS delivery', () => {
    expect(
      toCodeDeliveryDetails({
        Destination: '+*******0123',
        DeliveryMedium: 'SMS',
        AttributeName: 'phone_number',
      }).deliveryMedium,
    ).toBe(DeliveryMedium.SMS);
  });

  it('gives nulls when Cognito returns no details or an unknown medium', () => {
    expect({ ...toCodeDeliveryDetails(undefined) }).toEqual({
      destination: null,
      deliveryMedium: null,
      attributeName: null,
    });
    expect(toCodeDeliveryDetails({ DeliveryMedium: 'PIGEON' as never }).deliveryMedium).toBeNull();
  });
});
