// UserMigration at sign-in and in ForgotPassword with real handler files and the real runner.
import {
  AdminGetUserCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/server.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
import {
  createClient,
  createPool,
  createUser,
  PASSWORD,
  passwordSignIn,
  srpSignIn,
  srpStart,
  unique,
} from "../cognito/auth-fixtures.js";
import { outbox } from "../cognito/signup-helpers.js";

const LEGACY_PASSWORD = "Legacy-Passw0rd!";

const t = useTriggerServer({
  directory: ["user-migration.mjs", "directory"],
  resetRequired: ["user-migration.mjs", "resetRequired"],
  forceAlias: ["user-migration.mjs", "forceAlias"],
  badStatus: ["user-migration.mjs", "badStatus"],
  throws: ["common.mjs", "throws"],
  preAuth: ["common.mjs", "echo"],
});

beforeEach(() => t.clear());

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);

async function setup(
  migration: string,
  options: { client?: Record<string, unknown>; pool?: Record<string, unknown> } = {},
) {
  const { cognito, clock, url } = t.get();
  const poolId = await createPool(cognito, {
    LambdaConfig: { UserMigration: arnOf(migration), PreAuthentication: arnOf("preAuth") },
    AliasAttributes: ["email"],
    ...options.pool,
  });
  const { clientId } = await createClient(cognito, poolId, options.client);
  return { cognito, clock, url, poolId, clientId };
}

const statusOf = async (cognito: ReturnType<typeof t.get>["cognito"], poolId: string, username: string) =>
  (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

describe("UserMigration_Authentication", () => {
  it("sends the typed name and password, InitiateAuth's ClientMetadata as validationData, every response member null", async () => {
    const { cognito, poolId, clientId } = await setup("directory");
    const username = unique("legacy");
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: LEGACY_PASSWORD },
        ClientMetadata: { app: "web" },
      }),
    );
    expect(t.event("directory")).toEqual({
      version: "1",
      triggerSource: "UserMigration_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: { password: LEGACY_PASSWORD, validationData: { app: "web" }, clientMetadata: null },
      response: {
        userAttributes: null,
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
        forceAliasCreation: null,
        enableSMSMFA: null,
      },
    });
  });

  it("CONFIRMED: the user is created with the typed password and signed in at once, then signs in with SRP", async () => {
    const { cognito, clock, url, poolId, clientId } = await setup("directory");
    const username = unique("legacy");
    const out = await passwordSignIn(cognito, clientId, username, LEGACY_PASSWORD);
    expect(out.AuthenticationResult?.IdToken).toBeDefined();
    // PreAuthentication runs for the migrated user, after the migration.
    expect(t.event("preAuth")).toMatchObject({
      request: { userAttributes: { name: "Legacy User", "cognito:user_status": "CONFIRMED" } },
    });
    expect(await statusOf(cognito, poolId, username)).toBe("CONFIRMED");
    // messageAction SUPPRESS: no welcome message.
    expect(await outbox(url, poolId, username)).toEqual([]);
    t.clear();
    const srp = await srpSignIn(cognito, {
      poolId,
      clientId,
      username,
      password: LEGACY_PASSWORD,
      now: clock.now(),
    });
    expect(srp.AuthenticationResult?.IdToken).toBeDefined();
    expect(t.events("directory")).toEqual([]);
  });

  it("without finalUserStatus the user must reset; the welcome message goes by EMAIL as asked", async () => {
    const { cognito, url, poolId, clientId } = await setup("resetRequired");
    const username = unique("old");
    expect(await errorOf(passwordSignIn(cognito, clientId, username, LEGACY_PASSWORD))).toEqual({
      name: "PasswordResetRequiredException",
      message: "Password reset required for the user",
    });
    expect(await statusOf(cognito, poolId, username)).toBe("RESET_REQUIRED");
    const [welcome, ...rest] = await outbox(url, poolId, username);
    expect(rest).toEqual([]);
    expect(welcome).toMatchObject({
      medium: "EMAIL",
      destination: `${username}@example.com`,
      reason: "UserMigration",
    });
  });

  it("SRP sign-in never migrates: Cognito does not see the password", async () => {
    const { cognito, clientId } = await setup("directory");
    const start = srpStart();
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_SRP_AUTH",
            AuthParameters: { USERNAME: unique("legacy"), SRP_A: start.A },
          }),
        ),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
    expect(t.events("directory")).toEqual([]);
  });

  it("a failing handler is the unknown-user answer: LEGACY names the client, ENABLED says nothing", async () => {
    const legacy = await setup("directory");
    expect(await errorOf(passwordSignIn(legacy.cognito, legacy.clientId, unique("legacy"), "wrong"))).toEqual(
      {
        name: "UserNotFoundException",
        message: `Exception migrating user in app client ${legacy.clientId}`,
      },
    );
    const hidden = await setup("throws", { client: { PreventUserExistenceErrors: "ENABLED" } });
    expect(await errorOf(passwordSignIn(hidden.cognito, hidden.clientId, unique("legacy"), "wrong"))).toEqual(
      {
        name: "NotAuthorizedException",
        message: "Incorrect username or password.",
      },
    );
  });

  it("a handler that declines (no attributes) leaves the user unknown", async () => {
    const { cognito, poolId, clientId } = await setup("directory");
    expect(await errorOf(passwordSignIn(cognito, clientId, "stranger", "whatever"))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect((await errorOf(statusOf(cognito, poolId, "stranger"))).name).toBe("UserNotFoundException");
  });

  it("an unknown finalUserStatus is an unrecognizable output and creates nobody", async () => {
    const { cognito, poolId, clientId } = await setup("badStatus");
    const username = unique("odd");
    expect((await errorOf(passwordSignIn(cognito, clientId, username, LEGACY_PASSWORD))).name).toBe(
      "UserNotFoundException",
    );
    expect((await errorOf(statusOf(cognito, poolId, username))).name).toBe("UserNotFoundException");
  });

  it("forceAliasCreation takes the email alias from its holder, whose email becomes unverified", async () => {
    const { cognito, poolId, clientId } = await setup("forceAlias");
    const holder = unique("holder");
    await createUser(cognito, poolId, holder, {
      attributes: [
        { Name: "email", Value: "shared@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const username = unique("migrant");
    expect(
      (await passwordSignIn(cognito, clientId, username, LEGACY_PASSWORD)).AuthenticationResult,
    ).toBeDefined();
    const previous = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: holder }));
    expect(previous.UserAttributes?.find((a) => a.Name === "email_verified")?.Value).toBe("false");
    expect((await errorOf(passwordSignIn(cognito, clientId, "shared@example.com", PASSWORD))).name).toBe(
      "NotAuthorizedException",
    );
  });
});

describe("UserMigration_ForgotPassword", () => {
  it("sends no password and ForgotPassword's ClientMetadata; the migrated user gets a reset code", async () => {
    const { cognito, url, poolId, clientId } = await setup("directory");
    const username = unique("legacy");
    const out = await cognito.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ClientMetadata: { from: "reset" },
      }),
    );
    expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    expect(t.event("directory")).toMatchObject({
      triggerSource: "UserMigration_ForgotPassword",
      userName: username,
      callerContext: { clientId },
      request: { validationData: null, clientMetadata: { from: "reset" } },
    });
    expect((t.event("directory").request as Record<string, unknown>).password).toBeUndefined();
    expect(await statusOf(cognito, poolId, username)).toBe("RESET_REQUIRED");
    const messages = await outbox(url, poolId, username);
    expect(messages.map((m) => m.reason)).toEqual(["ForgotPassword"]);
  });

  it("a failing handler under LEGACY: UserNotFoundException naming the client", async () => {
    const { cognito, clientId } = await setup("throws");
    expect(
      await errorOf(cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "x-user" }))),
    ).toEqual({
      name: "UserNotFoundException",
      message: `Exception migrating user in app client ${clientId}`,
    });
  });
});
