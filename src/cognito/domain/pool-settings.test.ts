// Tests for pool settings: defaults, the schema, replace-on-update and the id format.
import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import type { PoolRecord } from "../../store/model.js";
import { createSqliteStore } from "../../store/sqlite.js";
import { CognitoError } from "../errors.js";
import {
  buildSchema,
  createPoolSettings,
  defaultPasswordPolicy,
  newPoolId,
  poolDescription,
  updatePoolSettings,
  withCustomAttributes,
} from "./pool-settings.js";
import { STANDARD_ATTRIBUTES } from "./schema.js";

const messageOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    if (error instanceof CognitoError) return `${error.type}: ${error.message}`;
    throw error;
  }
  throw new Error("expected an error");
};

/** A Random that returns the given integers in turn. */
const scripted = (values: number[]): Random => ({
  bytes: () => Buffer.alloc(0),
  int: () => values.shift() ?? 0,
  uuid: () => "00000000-0000-4000-8000-000000000000",
});

describe("createPoolSettings", () => {
  it("applies every default to an empty request", () => {
    const settings = createPoolSettings({ PoolName: "p" });
    expect(settings).toEqual({
      Policies: {
        PasswordPolicy: defaultPasswordPolicy(),
        SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] },
      },
      DeletionProtection: "INACTIVE",
      LambdaConfig: {},
      SchemaAttributes: STANDARD_ATTRIBUTES,
      VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [] },
      MfaConfiguration: "OFF",
      EmailConfiguration: { EmailSendingAccount: "COGNITO_DEFAULT" },
      UserPoolTags: {},
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
      UserPoolTier: "ESSENTIALS",
    });
  });

  it("treats a temporary password validity of 0 as the default 7 days", () => {
    const settings = createPoolSettings({
      Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 0 } },
    });
    expect((settings.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy).toMatchObject({
      MinimumLength: 8,
      TemporaryPasswordValidityDays: 7,
    });
  });

  it("names the pre token generation trigger both ways once the versioned form is used", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:tokens";
    const settings = createPoolSettings({
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: arn } },
    });
    expect(settings.LambdaConfig).toEqual({
      PreTokenGeneration: arn,
      PreTokenGenerationConfig: { LambdaVersion: "V1_0", LambdaArn: arn },
    });
  });

  it("requires a KMS key for custom senders", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:sender";
    expect(
      messageOf(() =>
        createPoolSettings({
          LambdaConfig: { CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: arn } },
        }),
      ),
    ).toMatch(/^InvalidParameterException: /);
  });

  it("refuses aliases together with username attributes", () => {
    expect(
      messageOf(() =>
        createPoolSettings({ AliasAttributes: ["email"], UsernameAttributes: ["phone_number"] }),
      ),
    ).toBe(
      "InvalidParameterException: Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    );
  });
});

describe("the schema", () => {
  it("changes a standard attribute in place and appends custom ones", () => {
    const schema = buildSchema([
      { Name: "name", Required: true, Mutable: false, StringAttributeConstraints: { MaxLength: "100" } },
      { Name: "plan", AttributeDataType: "String" },
    ]);
    expect(schema).toHaveLength(STANDARD_ATTRIBUTES.length + 1);
    expect(schema[1]).toEqual({
      Name: "name",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: "0", MaxLength: "100" },
    });
    expect(schema.at(-1)).toEqual({
      Name: "custom:plan",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
    });
    // The shared standard schema itself is untouched.
    expect(STANDARD_ATTRIBUTES[1]?.Required).toBe(false);
  });

  it("keeps sub required and immutable", () => {
    const schema = buildSchema([{ Name: "sub", Required: false, Mutable: true }]);
    expect(schema[0]).toMatchObject({ Name: "sub", Required: true, Mutable: false });
  });

  it("refuses duplicates, required custom attributes and a 51st custom attribute", () => {
    expect(messageOf(() => buildSchema([{ Name: "a" }, { Name: "a" }]))).toBe(
      "InvalidParameterException: Existing attribute already has name custom:a.",
    );
    expect(messageOf(() => buildSchema([{ Name: "a", Required: true }]))).toBe(
      "InvalidParameterException: Required custom attributes are not supported currently.",
    );
    const fifty = buildSchema(Array.from({ length: 50 }, (_, i) => ({ Name: `a${i}` })));
    expect(messageOf(() => withCustomAttributes(fifty, [{ Name: "b" }]))).toMatch(
      /^InvalidParameterException: /,
    );
    // A developer-only attribute has its own name, so it does not clash with a custom one.
    expect(
      withCustomAttributes(buildSchema([{ Name: "a" }]), [{ Name: "a", DeveloperOnlyAttribute: true }]).at(-1)
        ?.Name,
    ).toBe("dev:custom:a");
  });
});

describe("updatePoolSettings", () => {
  it("resets what the request omits and keeps what cannot change", () => {
    const previous = createPoolSettings({
      AliasAttributes: ["preferred_username"],
      UsernameConfiguration: { CaseSensitive: false },
      Schema: [{ Name: "plan" }],
      LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:x" },
      UserPoolTags: { a: "b" },
      MfaConfiguration: "OPTIONAL",
      UserPoolTier: "PLUS",
    });
    const updated = updatePoolSettings(previous, {});
    expect(updated).toEqual({
      ...createPoolSettings({}),
      AliasAttributes: ["preferred_username"],
      UsernameConfiguration: { CaseSensitive: false },
      SchemaAttributes: previous.SchemaAttributes,
      UserPoolTier: "PLUS",
    });
  });

  it("checks the kept verification-before-update settings against the new auto-verified attributes", () => {
    const previous = createPoolSettings({
      AutoVerifiedAttributes: ["email"],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    });
    expect(messageOf(() => updatePoolSettings(previous, { DeletionProtection: "INACTIVE" }))).toBe(
      "InvalidParameterException: All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    );
    expect(
      updatePoolSettings(previous, { AutoVerifiedAttributes: ["email"] }).UserAttributeUpdateSettings,
    ).toEqual({
      AttributesRequireVerificationBeforeUpdate: ["email"],
    });
  });
});

describe("newPoolId", () => {
  it("is the region, an underscore and nine alphanumerics, skipping ids in use", async () => {
    const store = createSqliteStore({ memory: true });
    const first = await store.transaction((tx) => newPoolId(tx, scripted(Array(9).fill(61)), "eu-west-1"));
    expect(first).toBe("eu-west-1_ZZZZZZZZZ");
    const pool: PoolRecord = { id: first, name: "p", settings: {}, createdAt: 0, lastModifiedAt: 0 };
    await store.transaction((tx) => tx.putPool(pool));
    const second = await store.transaction((tx) =>
      newPoolId(tx, scripted([...Array(9).fill(61), ...Array(9).fill(10)]), "eu-west-1"),
    );
    expect(second).toBe("eu-west-1_aaaaaaaaa");
    expect(poolDescription(pool)).toEqual({
      Id: first,
      Name: "p",
      LambdaConfig: {},
      LastModifiedDate: 0,
      CreationDate: 0,
    });
  });
});
