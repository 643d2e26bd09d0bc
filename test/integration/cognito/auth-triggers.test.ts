// The trigger points of sign-in, seen through a recording trigger runner: events as Cognito sends them, and their effect.
import {
  AdminGetUserCommand,
  type AuthenticationResultType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { CognitoError } from "../../../src/cognito/errors.js";
import type { TriggerCall, TriggerRunner } from "../../../src/cognito/trigger-runner/port.js";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  OTHER_PASSWORD,
  PASSWORD,
  passwordSignIn,
  srpSignIn,
  unique,
} from "./auth-fixtures.js";

type Handler = (event: Record<string, unknown>) => Record<string, unknown> | undefined;

/** Records every invocation; `handlers` answer per trigger (undefined: "no function configured"). */
class RecordingRunner implements TriggerRunner {
  calls: TriggerCall[] = [];
  handlers: Record<string, Handler> = {};
  invoke = async (call: TriggerCall) => {
    this.calls.push(structuredClone(call));
    return this.handlers[call.trigger]?.(call.event);
  };
  invokeAsync = (call: TriggerCall) => {
    this.calls.push(structuredClone(call));
  };
  sources = () => this.calls.map((c) => c.event.triggerSource);
  event = (source: string) =>
    this.calls.find((c) => c.event.triggerSource === source)?.event as Record<string, unknown>;
}

const runner = new RecordingRunner();
const get = useTestServer({ triggers: runner });

beforeEach(() => {
  runner.calls = [];
  runner.handlers = {};
});

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:trigger";

async function setup(
  options: { pool?: Parameters<typeof createPool>[1]; client?: Parameters<typeof createClient>[2] } = {},
) {
  const { cognito, clock } = get();
  const poolId = await createPool(cognito, options.pool);
  const { clientId } = await createClient(cognito, poolId, options.client);
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Una" },
    ],
  });
  runner.calls = [];
  return { cognito, clock, poolId, clientId, username };
}

describe("sign-in trigger points", () => {
  it("password sign-in: PreAuthentication, PreTokenGeneration, PostAuthentication, with Cognito's events", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
        ClientMetadata: { source: "test" },
      }),
    );
    expect(runner.sources()).toEqual([
      "PreAuthentication_Authentication",
      "TokenGeneration_Authentication",
      "PostAuthentication_Authentication",
    ]);
    const pre = runner.event("PreAuthentication_Authentication");
    const sub = (pre.request as { userAttributes: Record<string, string> }).userAttributes.sub;
    const userAttributes = {
      sub,
      email: `${username}@example.com`,
      email_verified: "true",
      name: "Una",
      "cognito:user_status": "CONFIRMED",
    };
    expect(pre).toEqual({
      version: "1",
      triggerSource: "PreAuthentication_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
      // InitiateAuth's ClientMetadata arrives as validationData; no userNotFound under LEGACY.
      request: { userAttributes, validationData: { source: "test" } },
      response: {},
    });
    expect(runner.event("TokenGeneration_Authentication")).toMatchObject({
      version: "1",
      userName: username,
      request: {
        userAttributes,
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        clientMetadata: null,
      },
      response: { claimsOverrideDetails: null },
    });
    expect(runner.event("PostAuthentication_Authentication")).toMatchObject({
      request: { userAttributes, newDeviceUsed: false, clientMetadata: null },
      response: {},
    });
    expect(runner.calls.map((c) => c.trigger)).toEqual([
      "PreAuthentication",
      "PreTokenGeneration",
      "PostAuthentication",
    ]);
  });

  it("SRP sign-in runs PreAuthentication on the first leg and the token triggers on the second", async () => {
    const { cognito, clock, poolId, clientId, username } = await setup();
    await srpSignIn(cognito, { poolId, clientId, username, password: PASSWORD, now: clock.now() });
    expect(runner.sources()).toEqual([
      "PreAuthentication_Authentication",
      "TokenGeneration_Authentication",
      "PostAuthentication_Authentication",
    ]);
  });

  it("a failing PreAuthentication stops the sign-in before the password is checked", async () => {
    const { cognito, clientId, username } = await setup();
    runner.handlers.PreAuthentication = () => {
      throw new CognitoError("UserLambdaValidationException", "PreAuthentication failed with error blocked.");
    };
    expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreAuthentication failed with error blocked.",
    });
    expect(runner.sources()).toEqual(["PreAuthentication_Authentication"]);
  });

  it("a failing PostAuthentication withholds the tokens", async () => {
    const { cognito, clientId, username } = await setup();
    runner.handlers.PostAuthentication = () => {
      throw new CognitoError("UserLambdaValidationException", "PostAuthentication failed with error nope.");
    };
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "UserLambdaValidationException",
      message: "PostAuthentication failed with error nope.",
    });
  });

  it("PreAuthentication hears of unknown users (userNotFound) only under PreventUserExistenceErrors", async () => {
    const { cognito, poolId } = await setup();
    const { clientId } = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    expect(await errorOf(passwordSignIn(cognito, clientId, "nobody"))).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(runner.event("PreAuthentication_Authentication")).toMatchObject({
      userName: "nobody",
      request: { userAttributes: {}, validationData: null, userNotFound: true },
    });
  });

  it("NEW_PASSWORD_REQUIRED ends in TokenGeneration_NewPasswordChallenge with RespondToAuthChallenge's ClientMetadata, never PostConfirmation", async () => {
    const { cognito, poolId, clientId } = await setup();
    const invitee = unique("invitee");
    await createUser(cognito, poolId, invitee, { permanent: false });
    const challenge = await passwordSignIn(cognito, clientId, invitee);
    runner.calls = [];
    await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: invitee, NEW_PASSWORD: OTHER_PASSWORD },
        ClientMetadata: { step: "2" },
      }),
    );
    expect(runner.sources()).toEqual([
      "TokenGeneration_NewPasswordChallenge",
      "PostAuthentication_Authentication",
    ]);
    expect(runner.event("TokenGeneration_NewPasswordChallenge")).toMatchObject({
      request: { clientMetadata: { step: "2" } },
    });
    expect(runner.event("PostAuthentication_Authentication")).toMatchObject({
      request: { clientMetadata: { step: "2" } },
    });
  });

  it("refresh runs TokenGeneration_RefreshTokens only", async () => {
    const { cognito, clientId, username } = await setup();
    const tokens = (await passwordSignIn(cognito, clientId, username))
      .AuthenticationResult as AuthenticationResultType;
    runner.calls = [];
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string },
      }),
    );
    expect(runner.sources()).toEqual(["TokenGeneration_RefreshTokens"]);
  });
});

describe("PreTokenGeneration overrides", () => {
  it("V1: adds, overrides and suppresses ID-token claims, protected ones excepted, and replaces groups", async () => {
    const { cognito, clientId, username } = await setup();
    runner.handlers.PreTokenGeneration = () => ({
      claimsOverrideDetails: {
        claimsToAddOrOverride: { tenant: "acme", name: "Override", sub: "forged", token_use: "access" },
        claimsToSuppress: ["email", "aud", "tenant"],
        groupOverrideDetails: { groupsToOverride: ["vip"], iamRolesToOverride: [], preferredRole: null },
      },
    });
    const tokens = (await passwordSignIn(cognito, clientId, username))
      .AuthenticationResult as AuthenticationResultType;
    const id = decodePayload(tokens.IdToken as string);
    const access = decodePayload(tokens.AccessToken as string);
    expect(id.name).toBe("Override");
    // Suppression wins over an override of the same claim.
    expect(id.tenant).toBeUndefined();
    expect(id.email).toBeUndefined();
    expect(id.aud).toBe(clientId);
    expect(id.sub).toBe(access.sub);
    expect(id.token_use).toBe("id");
    expect(id["cognito:groups"]).toEqual(["vip"]);
    expect(access["cognito:groups"]).toEqual(["vip"]);
    expect(access.name).toBeUndefined();
  });

  it("V2: version 2 events with scopes; access-token claims and scopes can change too", async () => {
    const { cognito, clientId, username } = await setup({
      pool: { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: ARN } } },
    });
    runner.handlers.PreTokenGeneration = () => ({
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: { plan: { tier: "gold" } } },
        accessTokenGeneration: { claimsToAddOrOverride: { roles: ["a", "b"] }, scopesToAdd: ["orders/read"] },
      },
    });
    const tokens = (await passwordSignIn(cognito, clientId, username))
      .AuthenticationResult as AuthenticationResultType;
    expect(runner.event("TokenGeneration_Authentication")).toMatchObject({
      version: "2",
      request: { scopes: ["aws.cognito.signin.user.admin"] },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(decodePayload(tokens.IdToken as string).plan).toEqual({ tier: "gold" });
    const access = decodePayload(tokens.AccessToken as string);
    expect(access.roles).toEqual(["a", "b"]);
    expect(access.scope).toBe("aws.cognito.signin.user.admin orders/read");
  });
});

describe("UserMigration_Authentication", () => {
  const migrationPool = { LambdaConfig: { UserMigration: ARN } };

  it("imports an unknown user signing in with a password, who can then sign in with SRP too", async () => {
    const { cognito, clock, poolId, clientId } = await setup({ pool: migrationPool });
    runner.handlers.UserMigration = () => ({
      userAttributes: { email: "legacy@example.com", email_verified: "true" },
      finalUserStatus: "CONFIRMED",
    });
    const out = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "legacy", PASSWORD },
        ClientMetadata: { from: "old-system" },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(runner.sources()).toEqual([
      "UserMigration_Authentication",
      "PreAuthentication_Authentication",
      "TokenGeneration_Authentication",
      "PostAuthentication_Authentication",
    ]);
    expect(runner.event("UserMigration_Authentication")).toMatchObject({
      userName: "legacy",
      callerContext: { clientId },
      request: { password: PASSWORD, validationData: { from: "old-system" } },
    });
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "legacy" }));
    expect(user.UserStatus).toBe("CONFIRMED");
    runner.calls = [];
    const srp = await srpSignIn(cognito, {
      poolId,
      clientId,
      username: "legacy",
      password: PASSWORD,
      now: clock.now(),
    });
    expect(srp.AuthenticationResult).toBeDefined();
    expect(runner.sources()).not.toContain("UserMigration_Authentication");
  });

  it("without finalUserStatus the user must reset the password", async () => {
    const { cognito, clientId } = await setup({ pool: migrationPool });
    runner.handlers.UserMigration = () => ({ userAttributes: { email: "reset@example.com" } });
    expect(await errorOf(passwordSignIn(cognito, clientId, "resetme"))).toEqual({
      name: "PasswordResetRequiredException",
      message: "Password reset required for the user",
    });
  });

  it("a failing or empty migration is the unknown-user answer", async () => {
    const { cognito, poolId, clientId } = await setup({ pool: migrationPool });
    runner.handlers.UserMigration = () => {
      throw new CognitoError(
        "UserLambdaValidationException",
        "UserMigration failed with error bad password.",
      );
    };
    expect(await errorOf(passwordSignIn(cognito, clientId, "ghost"))).toEqual({
      name: "UserNotFoundException",
      message: `Exception migrating user in app client ${clientId}`,
    });
    const enabled = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    expect(await errorOf(passwordSignIn(cognito, enabled.clientId, "ghost"))).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    runner.handlers.UserMigration = () => undefined;
    expect(await errorOf(passwordSignIn(cognito, clientId, "ghost"))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("is not consulted without a UserMigration trigger", async () => {
    const { cognito, clientId } = await setup();
    await errorOf(passwordSignIn(cognito, clientId, "ghost"));
    expect(runner.sources()).not.toContain("UserMigration_Authentication");
  });
});
