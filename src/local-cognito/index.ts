// A local, in-memory stand-in for Amazon Cognito user pools, spoken to over real HTTP by the real AWS SDK.
// It is the gateway's default upstream without AWS (`npm start`) and the upstream of integration tests.
export type { Clock } from './clock';
export type { FaultControls, FaultSettings, FaultStats } from './faults';
export { FaultSettingsError } from './faults';
export type { OutboxFilter, OutboxMessage, OutboxPurpose, OutboxReader } from './outbox';
export type { SeededUser, SeedUserOptions } from './seeding';
export type {
  CreateUserPoolClientOptions,
  CreateUserPoolOptions,
  LocalCognito,
  LocalCognitoOptions,
} from './server';
export { startLocalCognito } from './server';
export type {
  AccountRecovery,
  AliasAttribute,
  DeliveryMedium,
  ExplicitAuthFlow,
  MfaType,
  RecordedCall,
  TimeUnit,
  TokenLifetime,
  UserStatus,
  VerifiableAttribute,
} from './types';
