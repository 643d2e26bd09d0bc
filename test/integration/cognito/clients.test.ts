// App client administration over the real socket with the AWS SDK: defaults, secrets, validity, replace-on-update.
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type UserPoolClientType,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";

const get = useTestServer();

let poolId = "";
let otherPoolId = "";

beforeAll(async () => {
  const create = async (PoolName: string) =>
    (
      await get().cognito.send(
        new CreateUserPoolCommand({ PoolName, Schema: [{ Name: "plan", AttributeDataType: "String" }] }),
      )
    ).UserPool?.Id as string;
  poolId = await create("clients");
  otherPoolId = await create("other");
});

async function createClient(
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<UserPoolClientType> {
  const { UserPoolClient } = await get().cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ...input }),
  );
  if (!UserPoolClient?.ClientId) throw new Error("no client returned");
  return UserPoolClient;
}

async function describeClient(clientId: string, userPoolId = poolId): Promise<UserPoolClientType> {
  const { UserPoolClient } = await get().cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
  );
  if (!UserPoolClient) throw new Error("no client returned");
  return UserPoolClient;
}

const invalid = (message: string) => ({ name: "InvalidParameterException", message });

describe("CreateUserPoolClient", () => {
  it("generates an id and fills in Cognito's defaults; Describe returns the same client", async () => {
    const client = await createClient({ ClientName: "web app" });
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.UserPoolId).toBe(poolId);
    expect(client.ClientName).toBe("web app");
    expect(client.ClientSecret).toBeUndefined();
    expect(client.RefreshTokenValidity).toBe(30);
    expect(client.AccessTokenValidity).toBeUndefined();
    expect(client.IdTokenValidity).toBeUndefined();
    expect(client.TokenValidityUnits).toEqual({});
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(client.EnableTokenRevocation).toBe(true);
    expect(client.EnablePropagateAdditionalUserContextData).toBe(false);
    expect(client.AuthSessionValidity).toBe(3);
    expect(client.ReadAttributes).toBeUndefined();
    expect(client.WriteAttributes).toBeUndefined();
    expect(client.CreationDate?.getTime()).toBe(get().clock.ms);
    expect(client.LastModifiedDate?.getTime()).toBe(get().clock.ms);
    expect(await describeClient(client.ClientId as string)).toEqual(client);
  });

  it("generates a secret, or takes the caller's, but not both", async () => {
    const generated = await createClient({ GenerateSecret: true });
    expect(generated.ClientSecret).toMatch(/^[a-z0-9]{51,52}$/);
    expect((await describeClient(generated.ClientId as string)).ClientSecret).toBe(generated.ClientSecret);

    const chosen = await createClient({ ClientSecret: "my_own_secret_of_24_chars" });
    expect(chosen.ClientSecret).toBe("my_own_secret_of_24_chars");

    const both = await errorOf(
      createClient({ GenerateSecret: true, ClientSecret: "my_own_secret_of_24_chars" }),
    );
    expect(both.name).toBe("InvalidParameterException");

    expect(await errorOf(createClient({ ClientSecret: "short" }))).toEqual(
      invalid(
        "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24",
      ),
    );
  });

  it("stores what the request sets", async () => {
    const client = await createClient({
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 30,
      IdTokenValidity: 2,
      RefreshTokenValidity: 7,
      TokenValidityUnits: { AccessToken: "minutes" },
      ReadAttributes: ["email", "custom:plan"],
      WriteAttributes: ["email"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      AuthSessionValidity: 10,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: ["https://example.com/callback"],
      LogoutURLs: ["https://example.com/"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(client).toMatchObject({
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 30,
      IdTokenValidity: 2,
      RefreshTokenValidity: 7,
      TokenValidityUnits: { AccessToken: "minutes" },
      ReadAttributes: ["email", "custom:plan"],
      WriteAttributes: ["email"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      AuthSessionValidity: 10,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: ["https://example.com/callback"],
      LogoutURLs: ["https://example.com/"],
      SupportedIdentityProviders: ["COGNITO"],
    });
  });

  it("replaces a refresh token validity of 0 with 30 days", async () => {
    expect((await createClient({ RefreshTokenValidity: 0 })).RefreshTokenValidity).toBe(30);
  });

  it("keeps token lifetimes within Cognito's ranges, in the units given", async () => {
    // Without units access and ID tokens count in hours, refresh tokens in days.
    await createClient({ AccessTokenValidity: 24, IdTokenValidity: 1, RefreshTokenValidity: 3650 });
    await createClient({ AccessTokenValidity: 5, TokenValidityUnits: { AccessToken: "minutes" } });
    await createClient({ RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: "minutes" } });
    const outOfRange = [
      { AccessTokenValidity: 25 },
      { IdTokenValidity: 4, TokenValidityUnits: { IdToken: "minutes" as const } },
      { RefreshTokenValidity: 3651 },
      { RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: "minutes" as const } },
      // No token may outlive the refresh token.
      {
        AccessTokenValidity: 2,
        RefreshTokenValidity: 60,
        TokenValidityUnits: { RefreshToken: "minutes" as const },
      },
    ];
    for (const validity of outOfRange) {
      expect([validity, (await errorOf(createClient(validity))).name]).toEqual([
        validity,
        "InvalidParameterException",
      ]);
    }
    expect(await errorOf(createClient({ AccessTokenValidity: 86401 }))).toEqual(
      invalid(
        "1 validation error detected: Value '86401' at 'accessTokenValidity' failed to satisfy constraint: Member must have value less than or equal to 86400",
      ),
    );
  });

  it("refuses legacy auth flow names mixed with ALLOW_ ones, and unknown flows", async () => {
    await createClient({ ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"] });
    const mixed = await errorOf(
      createClient({ ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH", "ALLOW_USER_SRP_AUTH"] }),
    );
    expect(mixed.name).toBe("InvalidParameterException");
    expect(
      await errorOf(createClient({ ExplicitAuthFlows: ["ALLOW_EVERYTHING" as "ALLOW_CUSTOM_AUTH"] })),
    ).toEqual(
      invalid(
        "1 validation error detected: Value 'ALLOW_EVERYTHING' at 'explicitAuthFlows.1.member' failed to satisfy constraint: " +
          "Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, " +
          "ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]",
      ),
    );
  });

  it("refuses read and write permissions on attributes the pool does not have", async () => {
    expect(await errorOf(createClient({ ReadAttributes: ["custom:missing"] }))).toEqual(
      invalid("Invalid read attributes specified while creating a client"),
    );
    expect(await errorOf(createClient({ WriteAttributes: ["custom:missing"] }))).toEqual(
      invalid("Invalid write attributes specified while creating a client"),
    );
  });

  it("allows the client_credentials grant only to a client with a secret", async () => {
    expect(
      await errorOf(
        createClient({ AllowedOAuthFlows: ["client_credentials"], AllowedOAuthFlowsUserPoolClient: true }),
      ),
    ).toEqual({
      name: "InvalidOAuthFlowException",
      message: "client_credentials flow can not be selected if client does not have a client secret.",
    });
    const m2m = await createClient({
      GenerateSecret: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect(m2m.AllowedOAuthFlows).toEqual(["client_credentials"]);
  });

  it("checks the client name and the pool", async () => {
    expect(await errorOf(createClient({ ClientName: "bad/name" }))).toEqual(
      invalid(
        "1 validation error detected: Value 'bad/name' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
      ),
    );
    expect(await errorOf(createClient({ UserPoolId: "us-east-1_nopool000" }))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nopool000 does not exist.",
    });
  });
});

describe("DescribeUserPoolClient", () => {
  it("does not find a client through another pool", async () => {
    const client = await createClient();
    expect(await errorOf(describeClient(client.ClientId as string, otherPoolId))).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool client ${client.ClientId} does not exist.`,
    });
    expect(await errorOf(describeClient("doesnotexist0000000000000a"))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool client doesnotexist0000000000000a does not exist.",
    });
  });
});

describe("UpdateUserPoolClient", () => {
  it("resets every member the request omits, keeping the name, id and secret", async () => {
    const created = await createClient({
      ClientName: "before",
      GenerateSecret: true,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 2,
      RefreshTokenValidity: 10,
      ReadAttributes: ["email"],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      AuthSessionValidity: 15,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: ["https://example.com/"],
    });
    get().clock.advance(5000);
    const { UserPoolClient: updated } = await get().cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId }),
    );
    expect(updated).toEqual({
      UserPoolId: poolId,
      ClientName: "before",
      ClientId: created.ClientId,
      ClientSecret: created.ClientSecret,
      CreationDate: created.CreationDate,
      LastModifiedDate: new Date(get().clock.ms),
      RefreshTokenValidity: 30,
      TokenValidityUnits: {},
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: "LEGACY",
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
    });
    expect(await describeClient(created.ClientId as string)).toEqual(updated);
  });

  it("sets what the request names", async () => {
    const created = await createClient();
    const { UserPoolClient } = await get().cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: created.ClientId,
        ClientName: "renamed",
        ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        WriteAttributes: ["custom:plan"],
      }),
    );
    expect(UserPoolClient).toMatchObject({
      ClientName: "renamed",
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
      WriteAttributes: ["custom:plan"],
    });
    expect(
      await errorOf(
        get().cognito.send(
          new UpdateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientId: created.ClientId,
            ReadAttributes: ["nope"],
          }),
        ),
      ),
    ).toEqual(invalid("Invalid read attributes specified while updating a client"));
  });

  it("does not find a client through another pool", async () => {
    const client = await createClient();
    expect(
      await errorOf(
        get().cognito.send(
          new UpdateUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: client.ClientId }),
        ),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool client ${client.ClientId} does not exist.`,
    });
  });
});

describe("ListUserPoolClients", () => {
  it("pages through a pool's clients exactly once", async () => {
    const { UserPool } = await get().cognito.send(new CreateUserPoolCommand({ PoolName: "listing" }));
    const id = UserPool?.Id as string;
    const created = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      const { UserPoolClient } = await get().cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: `client-${i}` }),
      );
      created.set(UserPoolClient?.ClientId as string, `client-${i}`);
    }
    const seen: { ClientId?: string; UserPoolId?: string; ClientName?: string }[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await get().cognito.send(
        new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 2, NextToken: token }),
      );
      pages++;
      expect(page.UserPoolClients?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.UserPoolClients ?? []));
      token = page.NextToken;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    for (const client of seen) {
      expect(client).toEqual({
        ClientId: client.ClientId,
        UserPoolId: id,
        ClientName: created.get(client.ClientId as string),
      });
    }
    expect(new Set(seen.map((c) => c.ClientId)).size).toBe(5);
  });

  it("checks MaxResults and the pool", async () => {
    expect(
      await errorOf(
        get().cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 61 })),
      ),
    ).toEqual(
      invalid(
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
      ),
    );
    expect(
      await errorOf(
        get().cognito.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_nopool000" })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nopool000 does not exist.",
    });
  });
});

describe("DeleteUserPoolClient", () => {
  it("deletes the client of the pool named, and only through that pool", async () => {
    const client = await createClient();
    const wrongPool = await errorOf(
      get().cognito.send(
        new DeleteUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: client.ClientId }),
      ),
    );
    expect(wrongPool).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool client ${client.ClientId} does not exist.`,
    });
    await describeClient(client.ClientId as string);

    await get().cognito.send(
      new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }),
    );
    expect(await errorOf(describeClient(client.ClientId as string))).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool client ${client.ClientId} does not exist.`,
    });
  });
});
