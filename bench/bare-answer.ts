// What the bare floors (the node:http baseline and the bundled bare Lambda handler) answer: the mutation's data
// built by hand from Cognito's CodeDeliveryDetails, with no GraphQL. No imports, so the bare bundle stays bare.
export function bareAnswer(
  details: { Destination?: string; DeliveryMedium?: string; AttributeName?: string } | undefined,
): string {
  return JSON.stringify({
    data: {
      resendConfirmationCode: {
        codeDeliveryDetails: {
          destination: details?.Destination ?? null,
          deliveryMedium: details?.DeliveryMedium ?? null,
          attributeName: details?.AttributeName ?? null,
        },
      },
    },
  });
}
