// Pure: turns a DescribeUserPool result into an UpdateUserPool input that changes nothing but LambdaConfig.
import type { LambdaConfigType, UpdateUserPoolCommandInput, UserPoolType } from "./ports.js";

// UpdateUserPool resets every setting it is not given, so the described pool is echoed back. Only
// members the SDK models for UpdateUserPool pass: `satisfies` makes this list match the installed
// SDK exactly, and a field Cognito adds to DescribeUserPool later cannot break the call.
const UPDATABLE_MEMBERS = {
  UserPoolId: true,
  Policies: true,
  DeletionProtection: true,
  LambdaConfig: true,
  AutoVerifiedAttributes: true,
  SmsVerificationMessage: true,
  EmailVerificationMessage: true,
  EmailVerificationSubject: true,
  VerificationMessageTemplate: true,
  SmsAuthenticationMessage: true,
  UserAttributeUpdateSettings: true,
  MfaConfiguration: true,
  DeviceConfiguration: true,
  EmailConfiguration: true,
  SmsConfiguration: true,
  UserPoolTags: true,
  AdminCreateUserConfig: true,
  UserPoolAddOns: true,
  DcrConfiguration: true,
  AccountRecoverySetting: true,
  PoolName: true,
  UserPoolTier: true,
  KeyConfiguration: true,
  IssuerConfiguration: true,
  AcrConfiguration: true,
} as const satisfies Record<keyof UpdateUserPoolCommandInput, true>;

/** The fields Serverless v3 deletes (§7); kept out even if a future UpdateUserPool happened to model one. */
export const READ_ONLY_MEMBERS = [
  "Id",
  "Name",
  "Status",
  "LastModifiedDate",
  "CreationDate",
  "SchemaAttributes",
  "AliasAttributes",
  "UsernameAttributes",
  "EstimatedNumberOfUsers",
  "SmsConfigurationFailure",
  "EmailConfigurationFailure",
  "Domain",
  "CustomDomain",
  "UsernameConfiguration",
  "Arn",
] as const;

export const UPDATABLE_MEMBER_NAMES: readonly string[] = Object.keys(UPDATABLE_MEMBERS);

export function buildUpdateUserPoolInput(
  pool: UserPoolType,
  lambdaConfig: LambdaConfigType,
): UpdateUserPoolCommandInput {
  // Cloned so the caller's described pool is never mutated.
  const source: Record<string, unknown> = structuredClone(pool) as Record<string, unknown>;
  for (const member of READ_ONLY_MEMBERS) delete source[member];

  const described = source as UserPoolType;
  const adminCreateUser = described.AdminCreateUserConfig;
  const passwordPolicy = described.Policies?.PasswordPolicy;
  // UnusedAccountValidityDays is the deprecated twin of TemporaryPasswordValidityDays and Cognito
  // refuses both at once. Moving it only when present keeps a configured value that Serverless resets.
  if (adminCreateUser?.UnusedAccountValidityDays !== undefined && passwordPolicy) {
    passwordPolicy.TemporaryPasswordValidityDays = adminCreateUser.UnusedAccountValidityDays;
    delete adminCreateUser.UnusedAccountValidityDays;
  }

  const input: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(source)) {
    if (Object.hasOwn(UPDATABLE_MEMBERS, member) && value !== undefined) input[member] = value;
  }
  return {
    ...(input as Partial<UpdateUserPoolCommandInput>),
    UserPoolId: pool.Id,
    LambdaConfig: lambdaConfig,
  };
}
