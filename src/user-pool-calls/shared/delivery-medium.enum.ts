// How Cognito delivered a code, as a GraphQL enum.
import { registerEnumType } from 'type-graphql';

export enum DeliveryMedium {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}

registerEnumType(DeliveryMedium, {
  name: 'DeliveryMedium',
  description: 'How Cognito delivered the code.',
});
