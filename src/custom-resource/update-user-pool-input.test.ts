// Tests that the UpdateUserPool input echoes every setting of the described pool except LambdaConfig.
import type { UserPoolType } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import {
  buildUpdateUserPoolInput,
  READ_ONLY_MEMBERS,
  UPDATABLE_MEMBER_NAMES,
} from "./update-user-pool-input.js";

const ME = "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-me";

function richPool(): UserPoolType {
  return {
    Id: "eu-west-1_AbC",
    Name: "my-pool",
    Policies: {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: false,
        RequireSymbols: true,
        PasswordHistorySize: 5,
        TemporaryPasswordValidityDays: 3,
      },
      SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] },
    },
    DeletionProtection: "ACTIVE",
    LambdaConfig: { PreSignUp: "arn:aws:lambda:eu-west-1:123456789012:function:other" },
    Status: "Enabled",
    LastModifiedDate: new Date("2024-01-02T03:04:05Z"),
    CreationDate: new Date("2023-01-02T03:04:05Z"),
    SchemaAttributes: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
    AutoVerifiedAttributes: ["email"],
    AliasAttributes: ["preferred_username"],
    UsernameAttributes: ["email"],
    SmsVerificationMessage: "Code {####}",
    EmailVerificationMessage: "Your code is {####}",
    EmailVerificationSubject: "Verify",
    VerificationMessageTemplate: {
      EmailMessage: "Your code is {####}",
      EmailSubject: "Verify",
      DefaultEmailOption: "CONFIRM_WITH_CODE",
    },
    SmsAuthenticationMessage: "Auth {####}",
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    MfaConfiguration: "OPTIONAL",
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    EstimatedNumberOfUsers: 42,
    EmailConfiguration: {
      EmailSendingAccount: "DEVELOPER",
      SourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
      From: "noreply@example.com",
    },
    SmsConfiguration: {
      SnsCallerArn: "arn:aws:iam::123456789012:role/sns",
      ExternalId: "ext",
      SnsRegion: "eu-west-1",
    },
    UserPoolTags: { team: "identity" },
    SmsConfigurationFailure: "none",
    EmailConfigurationFailure: "none",
    Domain: "my-domain",
    CustomDomain: "auth.example.com",
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: true,
      UnusedAccountValidityDays: 7,
      InviteMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "{username} {####}" },
    },
    UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
    UsernameConfiguration: { CaseSensitive: false },
    Arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC",
    AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: "verified_email" }] },
    UserPoolTier: "ESSENTIALS",
    // A member DescribeUserPool might gain one day; UpdateUserPool must not receive it.
    FutureSetting: { Enabled: true },
  } as UserPoolType;
}

describe("buildUpdateUserPoolInput", () => {
  it("echoes every updatable setting, drops read-only ones and moves UnusedAccountValidityDays", () => {
    const lambdaConfig = { PreSignUp: ME };
    expect(buildUpdateUserPoolInput(richPool(), lambdaConfig)).toStrictEqual({
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: false,
          RequireSymbols: true,
          PasswordHistorySize: 5,
          TemporaryPasswordValidityDays: 7,
        },
        SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] },
      },
      DeletionProtection: "ACTIVE",
      LambdaConfig: { PreSignUp: ME },
      AutoVerifiedAttributes: ["email"],
      SmsVerificationMessage: "Code {####}",
      EmailVerificationMessage: "Your code is {####}",
      EmailVerificationSubject: "Verify",
      VerificationMessageTemplate: {
        EmailMessage: "Your code is {####}",
        EmailSubject: "Verify",
        DefaultEmailOption: "CONFIRM_WITH_CODE",
      },
      SmsAuthenticationMessage: "Auth {####}",
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
      MfaConfiguration: "OPTIONAL",
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      EmailConfiguration: {
        EmailSendingAccount: "DEVELOPER",
        SourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
        From: "noreply@example.com",
      },
      SmsConfiguration: {
        SnsCallerArn: "arn:aws:iam::123456789012:role/sns",
        ExternalId: "ext",
        SnsRegion: "eu-west-1",
      },
      UserPoolTags: { team: "identity" },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: true,
        InviteMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "{username} {####}" },
      },
      UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: "verified_email" }] },
      UserPoolTier: "ESSENTIALS",
      UserPoolId: "eu-west-1_AbC",
    });
  });

  it("keeps a configured TemporaryPasswordValidityDays when UnusedAccountValidityDays is absent", () => {
    const pool = richPool();
    delete pool.AdminCreateUserConfig?.UnusedAccountValidityDays;
    const input = buildUpdateUserPoolInput(pool, {});
    expect(input.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBe(3);
    expect(input.AdminCreateUserConfig).toStrictEqual({
      AllowAdminCreateUserOnly: true,
      InviteMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "{username} {####}" },
    });
  });

  it("leaves UnusedAccountValidityDays in place when there is no password policy to move it to", () => {
    expect(
      buildUpdateUserPoolInput(
        { Id: "eu-west-1_min", AdminCreateUserConfig: { UnusedAccountValidityDays: 7 }, Policies: {} },
        {},
      ),
    ).toStrictEqual({
      AdminCreateUserConfig: { UnusedAccountValidityDays: 7 },
      Policies: {},
      UserPoolId: "eu-west-1_min",
      LambdaConfig: {},
    });
  });

  it("does not mutate the described pool", () => {
    const pool = richPool();
    const before = structuredClone(pool);
    buildUpdateUserPoolInput(pool, { PreSignUp: ME });
    expect(pool).toStrictEqual(before);
  });

  it("copes with a minimal pool", () => {
    expect(buildUpdateUserPoolInput({ Id: "eu-west-1_min", Name: "min" }, {})).toStrictEqual({
      UserPoolId: "eu-west-1_min",
      LambdaConfig: {},
    });
  });

  it("never lets a read-only member through the allow-list", () => {
    expect(
      UPDATABLE_MEMBER_NAMES.filter((name) => (READ_ONLY_MEMBERS as readonly string[]).includes(name)),
    ).toEqual([]);
    expect(UPDATABLE_MEMBER_NAMES).toContain("LambdaConfig");
  });
});
