// The Cognito resource handlers against a real local edge: create, update, replacement, delete, Ref and GetAtt.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import type { ResourceContext } from "../types.js";
import {
  userPoolClientHandler,
  userPoolDomainHandler,
  userPoolGroupHandler,
  userPoolHandler,
  userToGroupAttachmentHandler,
} from "./cognito.js";
import { RESOURCE_HANDLERS } from "./index.js";

let server: RunningServer;
let sdk: CognitoIdentityProviderClient;
const warnings: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", memory: true });
  sdk = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: server.url,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
});
afterAll(async () => {
  sdk?.destroy();
  await server?.close();
});

function ctx(logicalId: string): ResourceContext {
  return {
    server,
    stackName: "test-stack",
    region: "us-east-1",
    accountId: "000000000000",
    logicalId,
    serviceDir: "/nonexistent",
    warn: (message) => warnings.push(message),
  };
}

const describePool = async (UserPoolId: string) =>
  (await sdk.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!;

const POOL = {
  UserPoolName: "svc-dev",
  AutoVerifiedAttributes: ["email"],
  UsernameAttributes: ["email"],
  Schema: [{ Name: "email", AttributeDataType: "String", Required: "true", Mutable: true }],
  Policies: { PasswordPolicy: { MinimumLength: "10", RequireSymbols: false } },
  MfaConfiguration: "OFF",
  UserPoolTags: { team: "auth" },
};

describe("AWS::Cognito::UserPool", () => {
  it("is registered in RESOURCE_HANDLERS with the other Cognito types", () => {
    for (const type of [
      "AWS::Cognito::UserPool",
      "AWS::Cognito::UserPoolClient",
      "AWS::Cognito::UserPoolGroup",
      "AWS::Cognito::UserPoolUserToGroupAttachment",
      "AWS::Cognito::UserPoolDomain",
    ])
      expect(RESOURCE_HANDLERS[type]).toBeDefined();
  });

  it("creates the pool from CloudFormation properties; Ref is the id and GetAtt has Arn and provider", async () => {
    const result = await userPoolHandler.create(POOL, ctx("Pool"));
    const id = result.physicalId;
    expect(id).toMatch(/^us-east-1_\w{9}$/);
    expect(result.attributes).toEqual({
      UserPoolId: id,
      Arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${id}`,
      ProviderName: `cognito-idp.us-east-1.amazonaws.com/${id}`,
      ProviderURL: `https://cognito-idp.us-east-1.amazonaws.com/${id}`,
    });
    const pool = await describePool(id);
    expect(pool.Name).toBe("svc-dev");
    expect(pool.UsernameAttributes).toEqual(["email"]);
    expect(pool.AutoVerifiedAttributes).toEqual(["email"]);
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    expect(pool.UserPoolTags).toEqual({ team: "auth" });
    expect(pool.SchemaAttributes?.find((a) => a.Name === "email")?.Required).toBe(true);
  });

  it("generates a name when UserPoolName is left out and warns about unsupported properties", async () => {
    warnings.length = 0;
    const result = await userPoolHandler.create(
      { EnabledMfas: ["SOFTWARE_TOKEN_MFA"], Bogus: 1 },
      ctx("Unnamed"),
    );
    expect((await describePool(result.physicalId)).Name).toMatch(/^Unnamed-[A-Z0-9]{12}$/);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("EnabledMfas is ignored");
    expect(warnings[1]).toContain("Bogus is not a known property");
  });

  it("updates in place with the full property set (omitted ones reset) and users survive", async () => {
    const { physicalId: id } = await userPoolHandler.create(POOL, ctx("Pool"));
    await sdk.send(
      new AdminCreateUserCommand({ UserPoolId: id, Username: "a@example.com", MessageAction: "SUPPRESS" }),
    );
    const next = {
      ...POOL,
      UserPoolName: "svc-renamed",
      Policies: undefined,
      UserPoolTags: undefined,
      Schema: [...POOL.Schema, { Name: "tier", AttributeDataType: "String", Mutable: true }],
      LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:f" },
    };
    const result = await userPoolHandler.update(id, next, POOL, ctx("Pool"));
    expect(result.physicalId).toBe(id);
    const pool = await describePool(id);
    expect(pool.Name).toBe("svc-renamed");
    expect(pool.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
    expect(pool.UserPoolTags ?? {}).toEqual({});
    expect(pool.LambdaConfig?.PreSignUp).toBe("arn:aws:lambda:us-east-1:000000000000:function:f");
    expect(pool.SchemaAttributes?.some((a) => a.Name === "custom:tier")).toBe(true);
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: "a@example.com" }));
    expect(user.Username).toBeDefined();
  });

  it("resets a LambdaConfig set outside the template, as a stack update does", async () => {
    const { physicalId: id } = await userPoolHandler.create(POOL, ctx("Pool"));
    await sdk.send(
      new UpdateUserPoolCommand({
        UserPoolId: id,
        LambdaConfig: { PostConfirmation: "arn:aws:lambda:us-east-1:000000000000:function:g" },
      }),
    );
    await userPoolHandler.update(id, POOL, POOL, ctx("Pool"));
    expect((await describePool(id)).LambdaConfig ?? {}).toEqual({});
  });

  it("fails the update when an existing schema attribute is changed or removed", async () => {
    const { physicalId: id } = await userPoolHandler.create(POOL, ctx("Pool"));
    await expect(userPoolHandler.update(id, { ...POOL, Schema: [] }, POOL, ctx("Pool"))).rejects.toThrow(
      /Pool: Existing schema attribute email cannot be deleted/,
    );
    const changed = { ...POOL, Schema: [{ ...POOL.Schema[0], Mutable: false }] };
    await expect(userPoolHandler.update(id, changed, POOL, ctx("Pool"))).rejects.toThrow(
      /cannot be modified/,
    );
  });

  it("replaces the pool when sign-in names change", async () => {
    const { physicalId: id } = await userPoolHandler.create(POOL, ctx("Pool"));
    const next = { ...POOL, UsernameAttributes: undefined, AliasAttributes: ["email"] };
    const result = await userPoolHandler.update(id, next, POOL, ctx("Pool"));
    expect(result.physicalId).not.toBe(id);
    expect((await describePool(result.physicalId)).AliasAttributes).toEqual(["email"]);
    // The engine deletes the old one afterwards; it still exists until then.
    expect((await describePool(id)).Id).toBe(id);
  });

  it("deletes the pool; a pool already gone is fine; deletion protection fails the delete", async () => {
    const { physicalId: id } = await userPoolHandler.create(POOL, ctx("Pool"));
    await userPoolHandler.delete(id, POOL, ctx("Pool"));
    await expect(describePool(id)).rejects.toThrow();
    await userPoolHandler.delete(id, POOL, ctx("Pool"));

    const protectedPool = { ...POOL, DeletionProtection: "ACTIVE" };
    const created = await userPoolHandler.create(protectedPool, ctx("Protected"));
    await expect(userPoolHandler.delete(created.physicalId, protectedPool, ctx("Protected"))).rejects.toThrow(
      /Protected: .*deletion protection is activated/,
    );
  });

  it("reports Cognito's validation error as the resource's failure", async () => {
    await expect(userPoolHandler.create({ MfaConfiguration: "SOMETIMES" }, ctx("Bad"))).rejects.toMatchObject(
      {
        name: "ResourceError",
        logicalId: "Bad",
      },
    );
  });
});

describe("AWS::Cognito::UserPoolClient", () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = (await userPoolHandler.create(POOL, ctx("ClientPool"))).physicalId;
  });

  const CLIENT = () => ({
    ClientName: "web",
    UserPoolId: poolId,
    GenerateSecret: false,
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    AccessTokenValidity: "2",
    TokenValidityUnits: { AccessToken: "hours" },
    PreventUserExistenceErrors: "ENABLED",
    EnableTokenRevocation: true,
    ReadAttributes: ["email"],
    WriteAttributes: ["email"],
    CallbackURLs: ["https://example.com/cb"],
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid"],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders: ["COGNITO"],
  });

  const describeClient = async (ClientId: string, UserPoolId = poolId) =>
    (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))).UserPoolClient!;

  it("creates the client; Ref is the client id; GetAtt ClientId and Name", async () => {
    const result = await userPoolClientHandler.create(CLIENT(), ctx("Client"));
    expect(result.attributes).toEqual({ ClientId: result.physicalId, Name: "web" });
    const client = await describeClient(result.physicalId);
    expect(client.ExplicitAuthFlows).toEqual(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(client.AccessTokenValidity).toBe(2);
    expect(client.PreventUserExistenceErrors).toBe("ENABLED");
    expect(client.CallbackURLs).toEqual(["https://example.com/cb"]);
    expect(client.ClientSecret).toBeUndefined();
  });

  it("exposes ClientSecret when GenerateSecret is true", async () => {
    const result = await userPoolClientHandler.create({ ...CLIENT(), GenerateSecret: "true" }, ctx("Secret"));
    expect(result.attributes.ClientSecret).toEqual(expect.any(String));
    expect((await describeClient(result.physicalId)).ClientSecret).toBe(result.attributes.ClientSecret);
  });

  it("updates in place, omitted properties reset; the name stays when the template never had one", async () => {
    const { physicalId: id } = await userPoolClientHandler.create(CLIENT(), ctx("Client"));
    const next = { ...CLIENT(), ClientName: "web2", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] } as Record<
      string,
      unknown
    >;
    delete next.PreventUserExistenceErrors;
    const result = await userPoolClientHandler.update(id, next, CLIENT(), ctx("Client"));
    expect(result.physicalId).toBe(id);
    expect(result.attributes.Name).toBe("web2");
    const client = await describeClient(id);
    expect(client.ExplicitAuthFlows).toEqual(["ALLOW_USER_SRP_AUTH"]);
    expect(client.PreventUserExistenceErrors).toBe("LEGACY");

    const unnamed = { UserPoolId: poolId };
    const created = await userPoolClientHandler.create(unnamed, ctx("Unnamed"));
    const name = created.attributes.Name;
    expect(name).toMatch(/^Unnamed-/);
    const updated = await userPoolClientHandler.update(
      created.physicalId,
      { ...unnamed, ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] },
      unnamed,
      ctx("Unnamed"),
    );
    expect(updated.attributes.Name).toBe(name);
  });

  it("replaces the client when UserPoolId or GenerateSecret changes", async () => {
    const { physicalId: id } = await userPoolClientHandler.create(CLIENT(), ctx("Client"));
    const secret = await userPoolClientHandler.update(
      id,
      { ...CLIENT(), GenerateSecret: true },
      CLIENT(),
      ctx("Client"),
    );
    expect(secret.physicalId).not.toBe(id);
    expect(secret.attributes.ClientSecret).toEqual(expect.any(String));

    const otherPool = (await userPoolHandler.create(POOL, ctx("Other"))).physicalId;
    const moved = await userPoolClientHandler.update(
      id,
      { ...CLIENT(), UserPoolId: otherPool },
      CLIENT(),
      ctx("Client"),
    );
    expect(moved.physicalId).not.toBe(id);
    expect((await describeClient(moved.physicalId, otherPool)).UserPoolId).toBe(otherPool);
  });

  it("deletes the client (and tolerates it already gone)", async () => {
    const { physicalId: id } = await userPoolClientHandler.create(CLIENT(), ctx("Client"));
    await userPoolClientHandler.delete(id, CLIENT(), ctx("Client"));
    await expect(describeClient(id)).rejects.toThrow();
    await userPoolClientHandler.delete(id, CLIENT(), ctx("Client"));
  });
});

describe("AWS::Cognito::UserPoolGroup and UserPoolUserToGroupAttachment", () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = (await userPoolHandler.create({ UserPoolName: "groups" }, ctx("GroupPool"))).physicalId;
    await sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "alice", MessageAction: "SUPPRESS" }),
    );
  });

  const getGroup = async (GroupName: string, UserPoolId = poolId) =>
    (await sdk.send(new GetGroupCommand({ GroupName, UserPoolId }))).Group!;

  it("creates, updates, replaces and deletes a group; Ref is the group name", async () => {
    const props = { GroupName: "admins", UserPoolId: poolId, Description: "Admins", Precedence: "1" };
    const result = await userPoolGroupHandler.create(props, ctx("Group"));
    expect(result).toEqual({ physicalId: "admins", attributes: {} });
    expect((await getGroup("admins")).Precedence).toBe(1);

    const next = { GroupName: "admins", UserPoolId: poolId, Precedence: 5 };
    await userPoolGroupHandler.update("admins", next, props, ctx("Group"));
    const group = await getGroup("admins");
    expect(group.Precedence).toBe(5);
    expect(group.Description ?? "").toBe("");

    const renamed = { ...next, GroupName: "owners" };
    const replaced = await userPoolGroupHandler.update("admins", renamed, next, ctx("Group"));
    expect(replaced.physicalId).toBe("owners");
    expect((await getGroup("owners")).Precedence).toBe(5);

    await userPoolGroupHandler.delete("admins", next, ctx("Group"));
    await expect(getGroup("admins")).rejects.toThrow();
    await userPoolGroupHandler.delete("admins", next, ctx("Group"));
  });

  it("generates the group name when GroupName is left out", async () => {
    const result = await userPoolGroupHandler.create({ UserPoolId: poolId }, ctx("AutoGroup"));
    expect(result.physicalId).toMatch(/^AutoGroup-[A-Z0-9]{12}$/);
    expect((await getGroup(result.physicalId)).GroupName).toBe(result.physicalId);
  });

  it("attaches a user to a group and detaches it on delete", async () => {
    await userPoolGroupHandler.create({ GroupName: "readers", UserPoolId: poolId }, ctx("Readers"));
    const props = { UserPoolId: poolId, GroupName: "readers", Username: "alice" };
    const result = await userToGroupAttachmentHandler.create(props, ctx("Attach"));
    expect(result.physicalId).toBe(`${poolId}|readers|alice`);
    const groups = async () =>
      (await sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "alice" }))).Groups ??
      [];
    expect((await groups()).map((g) => g.GroupName)).toContain("readers");
    await userToGroupAttachmentHandler.delete(result.physicalId, props, ctx("Attach"));
    expect((await groups()).map((g) => g.GroupName)).not.toContain("readers");
  });
});

describe("AWS::Cognito::UserPoolDomain", () => {
  it("is recorded with a warning; Ref is the domain; a missing pool fails", async () => {
    const poolId = (await userPoolHandler.create({ UserPoolName: "domain" }, ctx("DomainPool"))).physicalId;
    warnings.length = 0;
    const result = await userPoolDomainHandler.create(
      { Domain: "my-app", UserPoolId: poolId },
      ctx("Domain"),
    );
    expect(result.physicalId).toBe("my-app");
    expect(result.attributes.CloudFrontDistribution).toBe("my-app.auth.us-east-1.amazoncognito.com");
    expect(warnings.join("\n")).toContain("hosted UI is not served");
    await expect(
      userPoolDomainHandler.create({ Domain: "x", UserPoolId: "us-east-1_missing00" }, ctx("Domain")),
    ).rejects.toThrow(/Domain: /);
    await userPoolDomainHandler.delete("my-app", {}, ctx("Domain"));
  });
});
