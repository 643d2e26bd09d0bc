// User pool administration over the real socket with the AWS SDK: defaults, replace-on-update, paging, errors.
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  type SchemaAttributeType,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { noTriggers } from "../../../src/cognito/trigger-runner/port.js";
import { errorOf, useTestServer } from "../../helpers/server.js";

// These pools name trigger functions that do not exist here; only their settings are under test.
const get = useTestServer({ triggers: noTriggers });

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:";

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<UserPoolType> {
  const { UserPool } = await get().cognito.send(new CreateUserPoolCommand({ PoolName: "pool", ...input }));
  if (!UserPool?.Id) throw new Error("no pool returned");
  return UserPool;
}

async function describePool(id: string): Promise<UserPoolType> {
  const { UserPool } = await get().cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
  if (!UserPool) throw new Error("no pool returned");
  return UserPool;
}

const schemaEntry = (pool: UserPoolType, name: string): SchemaAttributeType | undefined =>
  pool.SchemaAttributes?.find((entry) => entry.Name === name);

const DEFAULT_PASSWORD_POLICY = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

describe("CreateUserPool", () => {
  it("fills in Cognito's defaults and DescribeUserPool returns the same pool", async () => {
    const created = await createPool({ PoolName: "defaults pool" });
    expect(created.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(created.Name).toBe("defaults pool");
    expect(created.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${created.Id}`);
    expect(created.Policies?.PasswordPolicy).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(created.MfaConfiguration).toBe("OFF");
    expect(created.DeletionProtection).toBe("INACTIVE");
    expect(created.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: 7,
    });
    expect(created.EmailConfiguration).toEqual({ EmailSendingAccount: "COGNITO_DEFAULT" });
    expect(created.VerificationMessageTemplate).toEqual({ DefaultEmailOption: "CONFIRM_WITH_CODE" });
    expect(created.LambdaConfig).toEqual({});
    expect(created.EstimatedNumberOfUsers).toBe(0);
    expect(created.CreationDate?.getTime()).toBe(get().clock.ms);
    expect(created.LastModifiedDate?.getTime()).toBe(get().clock.ms);
    expect(created.AliasAttributes).toBeUndefined();
    expect(created.UsernameAttributes).toBeUndefined();
    expect(created.AutoVerifiedAttributes).toBeUndefined();
    expect(created.SchemaAttributes?.[0]).toEqual({
      Name: "sub",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
    });
    expect(schemaEntry(created, "email")).toEqual({
      Name: "email",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
    });
    expect(await describePool(created.Id as string)).toEqual(created);
  });

  it("gives each pool its own id", async () => {
    const a = await createPool();
    const b = await createPool();
    expect(a.Id).not.toBe(b.Id);
  });

  it("stores settings as given and counts users", async () => {
    const pool = await createPool({
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
      AutoVerifiedAttributes: ["email"],
      UsernameAttributes: ["email"],
      UsernameConfiguration: { CaseSensitive: false },
      LambdaConfig: { PreSignUp: `${ARN}pre-sign-up`, CustomMessage: `${ARN}custom-message` },
      UserPoolTags: { team: "identity" },
      DeletionProtection: "ACTIVE",
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
    });
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.AutoVerifiedAttributes).toEqual(["email"]);
    expect(pool.UsernameAttributes).toEqual(["email"]);
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool.LambdaConfig).toEqual({
      PreSignUp: `${ARN}pre-sign-up`,
      CustomMessage: `${ARN}custom-message`,
    });
    expect(pool.UserPoolTags).toEqual({ team: "identity" });
    expect(pool.DeletionProtection).toBe("ACTIVE");
    expect(pool.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }],
    });

    await get().cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.Id,
        Username: "someone@example.com",
        MessageAction: "SUPPRESS",
      }),
    );
    expect((await describePool(pool.Id as string)).EstimatedNumberOfUsers).toBe(1);
  });

  it("keeps the verification template and the older message members in step", async () => {
    const pool = await createPool({
      VerificationMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "Your code is {####}" },
      SmsVerificationMessage: "Code: {####}",
    });
    expect(pool.VerificationMessageTemplate).toEqual({
      EmailSubject: "Welcome",
      EmailMessage: "Your code is {####}",
      SmsMessage: "Code: {####}",
      DefaultEmailOption: "CONFIRM_WITH_CODE",
    });
    expect(pool.EmailVerificationSubject).toBe("Welcome");
    expect(pool.EmailVerificationMessage).toBe("Your code is {####}");
    expect(pool.SmsVerificationMessage).toBe("Code: {####}");
  });

  it("adds custom and developer-only attributes and changes standard ones from Schema", async () => {
    const pool = await createPool({
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        {
          Name: "tier",
          AttributeDataType: "String",
          Mutable: true,
          StringAttributeConstraints: { MaxLength: "16" },
        },
        {
          Name: "score",
          AttributeDataType: "Number",
          Mutable: false,
          NumberAttributeConstraints: { MinValue: "0" },
        },
        { Name: "internal", AttributeDataType: "String", DeveloperOnlyAttribute: true },
      ],
    });
    expect(schemaEntry(pool, "email")?.Required).toBe(true);
    expect(schemaEntry(pool, "custom:tier")).toEqual({
      Name: "custom:tier",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: { MaxLength: "16" },
    });
    expect(schemaEntry(pool, "custom:score")).toMatchObject({ AttributeDataType: "Number", Mutable: false });
    expect(schemaEntry(pool, "dev:custom:internal")).toMatchObject({ DeveloperOnlyAttribute: true });
    expect(schemaEntry(pool, "tier")).toBeUndefined();
  });

  it("refuses required custom attributes", async () => {
    const error = await errorOf(
      createPool({ Schema: [{ Name: "tier", AttributeDataType: "String", Required: true }] }),
    );
    expect(error).toEqual({
      name: "InvalidParameterException",
      message: "Required custom attributes are not supported currently.",
    });
  });

  it("refuses aliases together with username attributes", async () => {
    const error = await errorOf(
      createPool({ AliasAttributes: ["preferred_username"], UsernameAttributes: ["email"] }),
    );
    expect(error).toEqual({
      name: "InvalidParameterException",
      message: "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
    });
  });

  it("refuses a pool name outside the model's pattern and length", async () => {
    expect(await errorOf(createPool({ PoolName: "bad/name" }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'bad/name' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
    });
    const long = "p".repeat(129);
    expect(await errorOf(createPool({ PoolName: long }))).toEqual({
      name: "InvalidParameterException",
      message: `1 validation error detected: Value '${long}' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    });
    expect(await errorOf(createPool({ PoolName: undefined as unknown as string }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    });
  });

  it("lists every constraint a request breaks", async () => {
    const error = await errorOf(
      createPool({
        PoolName: "bad/name",
        MfaConfiguration: "SOMETIMES" as "OFF",
        Policies: { PasswordPolicy: { MinimumLength: 5 } },
      }),
    );
    expect(error.name).toBe("InvalidParameterException");
    const prefix = "3 validation errors detected: ";
    expect(error.message.startsWith(prefix)).toBe(true);
    // The order of the violations is not documented: compare them as a set.
    expect(error.message.slice(prefix.length).split("; ").sort()).toEqual(
      [
        "Value 'bad/name' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        "Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
        "Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
      ].sort(),
    );
  });

  it("checks trigger ARNs and the two ways of naming the pre token generation trigger", async () => {
    expect(await errorOf(createPool({ LambdaConfig: { PreSignUp: "not-an-arn-but-long-enough" } }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'not-an-arn-but-long-enough' at 'lambdaConfig.preSignUp' failed to satisfy constraint: " +
        "Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
    });
    const mismatch = await errorOf(
      createPool({
        LambdaConfig: {
          PreTokenGeneration: `${ARN}one`,
          PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: `${ARN}two` },
        },
      }),
    );
    expect(mismatch.name).toBe("InvalidParameterException");

    const pool = await createPool({
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: `${ARN}tokens` } },
    });
    expect(pool.LambdaConfig).toEqual({
      PreTokenGeneration: `${ARN}tokens`,
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: `${ARN}tokens` },
    });
  });

  it("requires verification-before-update attributes to be auto-verified", async () => {
    const error = await errorOf(
      createPool({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] } }),
    );
    expect(error).toEqual({
      name: "InvalidParameterException",
      message:
        "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    });
  });
});

describe("DescribeUserPool", () => {
  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(await errorOf(describePool("us-east-1_nothere12"))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nothere12 does not exist.",
    });
  });

  it("refuses a malformed pool id", async () => {
    expect(await errorOf(describePool("no-underscore"))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    });
  });
});

describe("UpdateUserPool", () => {
  it("resets every updatable member the request omits, and keeps schema and sign-in settings", async () => {
    const created = await createPool({
      PoolName: "before",
      Policies: {
        PasswordPolicy: { MinimumLength: 10, RequireSymbols: false, TemporaryPasswordValidityDays: 3 },
      },
      LambdaConfig: { PreSignUp: `${ARN}pre-sign-up`, PostConfirmation: `${ARN}post-confirmation` },
      AutoVerifiedAttributes: ["email"],
      AliasAttributes: ["email", "preferred_username"],
      UsernameConfiguration: { CaseSensitive: false },
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
      UserPoolTags: { team: "identity" },
      DeletionProtection: "ACTIVE",
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      VerificationMessageTemplate: { EmailSubject: "Hello" },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
    });
    const id = created.Id as string;
    get().clock.advance(60_000);

    const output = await get().cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: "OFF" }),
    );
    expect(output.$metadata.httpStatusCode).toBe(200);

    const updated = await describePool(id);
    expect(updated.Name).toBe("before");
    expect(updated.LambdaConfig).toEqual({});
    expect(updated.Policies?.PasswordPolicy).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(updated.AutoVerifiedAttributes).toBeUndefined();
    expect(updated.UserPoolTags).toEqual({});
    expect(updated.DeletionProtection).toBe("INACTIVE");
    expect(updated.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: 7,
    });
    expect(updated.VerificationMessageTemplate).toEqual({ DefaultEmailOption: "CONFIRM_WITH_CODE" });
    expect(updated.EmailVerificationSubject).toBeUndefined();
    expect(updated.DeviceConfiguration).toBeUndefined();
    expect(updated.AliasAttributes).toEqual(["email", "preferred_username"]);
    expect(updated.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(updated.SchemaAttributes).toEqual(created.SchemaAttributes);
    expect(updated.CreationDate).toEqual(created.CreationDate);
    expect(updated.LastModifiedDate?.getTime()).toBe(get().clock.ms);
  });

  it("sets what the request names, including a new pool name", async () => {
    const { Id } = await createPool({ PoolName: "old name" });
    await get().cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: Id,
        PoolName: "new name",
        LambdaConfig: { PreAuthentication: `${ARN}pre-auth` },
        Policies: { PasswordPolicy: { MinimumLength: 6 } },
        DeletionProtection: "ACTIVE",
        UserPoolTags: { env: "test" },
      }),
    );
    const pool = await describePool(Id as string);
    expect(pool.Name).toBe("new name");
    expect(pool.LambdaConfig).toEqual({ PreAuthentication: `${ARN}pre-auth` });
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(6);
    expect(pool.DeletionProtection).toBe("ACTIVE");
    expect(pool.UserPoolTags).toEqual({ env: "test" });
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(
      await errorOf(get().cognito.send(new UpdateUserPoolCommand({ UserPoolId: "us-east-1_missing00" }))),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_missing00 does not exist.",
    });
  });
});

describe("ListUserPools", () => {
  it("pages through every pool exactly once", async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 7; i++) mine.add((await createPool({ PoolName: `paged-${i}` })).Id as string);

    const seen: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await get().cognito.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: token }));
      pages++;
      expect(page.UserPools?.length).toBeLessThanOrEqual(3);
      for (const pool of page.UserPools ?? []) seen.push(pool.Id as string);
      token = page.NextToken;
    } while (token);

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it("describes each pool by id, name, triggers and dates", async () => {
    const pool = await createPool({ PoolName: "listed", LambdaConfig: { PreSignUp: `${ARN}listed` } });
    const found: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await get().cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
      found.push(...(page.UserPools ?? []).filter((p) => p.Id === pool.Id));
      token = page.NextToken;
    } while (token);
    expect(found).toEqual([
      {
        Id: pool.Id,
        Name: "listed",
        LambdaConfig: { PreSignUp: `${ARN}listed` },
        CreationDate: pool.CreationDate,
        LastModifiedDate: pool.LastModifiedDate,
      },
    ]);
  });

  it("requires MaxResults between 1 and 60", async () => {
    const list = (MaxResults: number | undefined) =>
      errorOf(get().cognito.send(new ListUserPoolsCommand({ MaxResults: MaxResults as number })));
    expect(await list(undefined)).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    });
    expect(await list(61)).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    expect(await list(0)).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  it("refuses a token it did not hand out", async () => {
    const error = await errorOf(
      get().cognito.send(new ListUserPoolsCommand({ MaxResults: 5, NextToken: "forged" })),
    );
    expect(error.name).toBe("InvalidParameterException");
  });
});

describe("DeleteUserPool", () => {
  it("refuses while deletion protection is active, then deletes the pool and its clients", async () => {
    const { Id } = await createPool({ DeletionProtection: "ACTIVE" });
    const { UserPoolClient } = await get().cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: Id, ClientName: "app" }),
    );
    expect(await errorOf(get().cognito.send(new DeleteUserPoolCommand({ UserPoolId: Id })))).toEqual({
      name: "InvalidParameterException",
      message:
        "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    });
    await describePool(Id as string);

    await get().cognito.send(new UpdateUserPoolCommand({ UserPoolId: Id, DeletionProtection: "INACTIVE" }));
    await get().cognito.send(new DeleteUserPoolCommand({ UserPoolId: Id }));
    expect(await errorOf(describePool(Id as string))).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool ${Id} does not exist.`,
    });
    expect(
      (
        await errorOf(
          get().cognito.send(
            new DescribeUserPoolClientCommand({ UserPoolId: Id, ClientId: UserPoolClient?.ClientId }),
          ),
        )
      ).name,
    ).toBe("ResourceNotFoundException");
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(
      await errorOf(get().cognito.send(new DeleteUserPoolCommand({ UserPoolId: "us-east-1_gone00000" }))),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_gone00000 does not exist.",
    });
  });
});

describe("AddCustomAttributes", () => {
  it("appends custom attributes named without their prefix", async () => {
    const { Id } = await createPool();
    get().clock.advance(1000);
    await get().cognito.send(
      new AddCustomAttributesCommand({
        UserPoolId: Id,
        CustomAttributes: [
          { Name: "plan", AttributeDataType: "String", Mutable: true },
          { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
        ],
      }),
    );
    const pool = await describePool(Id as string);
    const names = pool.SchemaAttributes?.map((entry) => entry.Name) ?? [];
    expect(names.slice(-2)).toEqual(["custom:plan", "dev:custom:secret"]);
    expect(pool.LastModifiedDate?.getTime()).toBe(get().clock.ms);
  });

  it("refuses a name the pool already has, and required attributes", async () => {
    const { Id } = await createPool({ Schema: [{ Name: "plan", AttributeDataType: "String" }] });
    const add = (attribute: SchemaAttributeType) =>
      errorOf(
        get().cognito.send(new AddCustomAttributesCommand({ UserPoolId: Id, CustomAttributes: [attribute] })),
      );
    expect(await add({ Name: "plan", AttributeDataType: "String" })).toEqual({
      name: "InvalidParameterException",
      message: "Existing attribute already has name custom:plan.",
    });
    expect(await add({ Name: "other", AttributeDataType: "String", Required: true })).toEqual({
      name: "InvalidParameterException",
      message: "Required custom attributes are not supported currently.",
    });
    // Nothing of a refused request is kept.
    const pool = await describePool(Id as string);
    expect(pool.SchemaAttributes?.filter((entry) => entry.Name?.startsWith("custom:"))).toHaveLength(1);
  });

  it("stops at 50 custom attributes", async () => {
    const { Id } = await createPool();
    const batch = (from: number) =>
      Array.from({ length: 25 }, (_, i) => ({
        Name: `attr${from + i}`,
        AttributeDataType: "String" as const,
      }));
    await get().cognito.send(new AddCustomAttributesCommand({ UserPoolId: Id, CustomAttributes: batch(0) }));
    await get().cognito.send(new AddCustomAttributesCommand({ UserPoolId: Id, CustomAttributes: batch(25) }));
    const error = await errorOf(
      get().cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: Id,
          CustomAttributes: [{ Name: "one-more", AttributeDataType: "String" }],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
  });

  it("requires at least one attribute", async () => {
    const { Id } = await createPool();
    expect(
      await errorOf(
        get().cognito.send(new AddCustomAttributesCommand({ UserPoolId: Id, CustomAttributes: [] })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '[]' at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
  });
});
