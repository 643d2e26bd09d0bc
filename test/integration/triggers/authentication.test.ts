// PreAuthentication, PostAuthentication and PreTokenGeneration (V1, V2, V3) with real handler files and the real runner.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CreateGroupCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/server.js";
import { arnOf, useTriggerServer } from "../../helpers/trigger-server.js";
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
} from "../cognito/auth-fixtures.js";

const t = useTriggerServer(
  {
    preAuth: ["common.mjs", "echo"],
    preAuthThrows: ["common.mjs", "throws"],
    postAuth: ["common.mjs", "echo"],
    postAuthThrows: ["common.mjs", "throws"],
    postAuthHangs: ["common.mjs", "hangs"],
    preToken: ["common.mjs", "echo"],
    preTokenV1: ["pre-token.mjs", "v1"],
    preTokenV1KeepGroups: ["pre-token.mjs", "v1KeepGroups"],
    preTokenV2: ["pre-token.mjs", "v2"],
    preTokenV2WrongType: ["pre-token.mjs", "v2WrongType"],
    preTokenThrows: ["common.mjs", "throws"],
  },
  { deadlineMs: 200 },
);

beforeEach(() => t.clear());

const SDK = expect.stringMatching(/^aws-sdk-js-3\./);
const ROLE = "arn:aws:iam::000000000000:role/admins";

async function setup(lambdaConfig: Record<string, unknown>, client: Record<string, unknown> = {}) {
  const { cognito, clock } = t.get();
  const poolId = await createPool(cognito, { LambdaConfig: lambdaConfig });
  const { clientId } = await createClient(cognito, poolId, client);
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Una" },
    ],
  });
  await cognito.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", RoleArn: ROLE, Precedence: 1 }),
  );
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: "admins" }),
  );
  t.clear();
  return { cognito, clock, poolId, clientId, username };
}

const attributesOf = (event: Record<string, unknown>) =>
  (event.request as { userAttributes: Record<string, string> }).userAttributes;

describe("PreAuthentication and PostAuthentication", () => {
  it("send Cognito's events: InitiateAuth's ClientMetadata is PreAuthentication's validationData only", async () => {
    const { cognito, poolId, clientId, username } = await setup({
      PreAuthentication: arnOf("preAuth"),
      PostAuthentication: arnOf("postAuth"),
    });
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD },
        ClientMetadata: { device: "kiosk" },
      }),
    );
    const pre = t.event("preAuth");
    const userAttributes = {
      sub: attributesOf(pre).sub,
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
      callerContext: { awsSdkVersion: SDK, clientId },
      request: { userAttributes, validationData: { device: "kiosk" } },
      response: {},
    });
    expect(t.event("postAuth")).toEqual({
      version: "1",
      triggerSource: "PostAuthentication_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: { userAttributes, newDeviceUsed: false, clientMetadata: null },
      response: {},
    });
  });

  it("SRP sign-in runs both too", async () => {
    const { cognito, clock, poolId, clientId, username } = await setup({
      PreAuthentication: arnOf("preAuth"),
      PostAuthentication: arnOf("postAuth"),
    });
    const out = await srpSignIn(cognito, {
      poolId,
      clientId,
      username,
      password: PASSWORD,
      now: clock.now(),
    });
    expect(out.AuthenticationResult?.IdToken).toBeDefined();
    expect(t.events("preAuth")).toHaveLength(1);
    expect(t.events("postAuth")).toHaveLength(1);
  });

  it("PreAuthentication under PreventUserExistenceErrors hears of unknown users with userNotFound", async () => {
    const { cognito, clientId } = await setup(
      { PreAuthentication: arnOf("preAuth") },
      { PreventUserExistenceErrors: "ENABLED" },
    );
    expect((await errorOf(passwordSignIn(cognito, clientId, "nobody-here"))).name).toBe(
      "NotAuthorizedException",
    );
    expect(t.event("preAuth")).toMatchObject({
      userName: "nobody-here",
      request: { userAttributes: {}, validationData: null, userNotFound: true },
    });
  });

  it("a failing PreAuthentication denies the sign-in before the password is checked", async () => {
    const { cognito, clientId, username } = await setup({ PreAuthentication: arnOf("preAuthThrows") });
    expect(await errorOf(passwordSignIn(cognito, clientId, username, "wrong-password"))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreAuthentication failed with error Nope.",
    });
  });

  it("a failing PostAuthentication withholds the tokens", async () => {
    const { cognito, clientId, username } = await setup({ PostAuthentication: arnOf("postAuthThrows") });
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "UserLambdaValidationException",
      message: "PostAuthentication failed with error Nope.",
    });
  });

  it("a PostAuthentication that times out withholds them too, after three attempts", async () => {
    const { cognito, clientId, username } = await setup({ PostAuthentication: arnOf("postAuthHangs") });
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "UnexpectedLambdaException",
      message:
        "PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
    });
    expect(t.events("postAuthHangs")).toHaveLength(3);
  });
});

describe("PreTokenGeneration", () => {
  it("V1 event (legacy string): groups, no scopes; runs before PostAuthentication", async () => {
    const { cognito, poolId, clientId, username } = await setup({
      PreTokenGeneration: arnOf("preToken"),
      PostAuthentication: arnOf("postAuth"),
    });
    await passwordSignIn(cognito, clientId, username);
    const event = t.event("preToken");
    expect(event).toEqual({
      version: "1",
      triggerSource: "TokenGeneration_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: SDK, clientId },
      request: {
        userAttributes: expect.objectContaining({ "cognito:user_status": "CONFIRMED", name: "Una" }),
        groupConfiguration: { groupsToOverride: ["admins"], iamRolesToOverride: [ROLE], preferredRole: ROLE },
        clientMetadata: null,
      },
      response: { claimsOverrideDetails: null },
    });
  });

  it("V1 response: ID-token claims added, overridden, suppressed (suppression wins), protected ones kept; groups replaced in both tokens", async () => {
    const { cognito, clientId, username } = await setup({ PreTokenGeneration: arnOf("preTokenV1") });
    const result = (await passwordSignIn(cognito, clientId, username)).AuthenticationResult;
    const id = decodePayload(result?.IdToken as string);
    const access = decodePayload(result?.AccessToken as string);
    expect(id.name).toBe("Overridden");
    expect(id.email).toBeUndefined();
    expect(id.department).toBeUndefined();
    expect(id.sub).not.toBe("not-allowed");
    expect(id["cognito:groups"]).toEqual(["from-trigger"]);
    expect(id["cognito:roles"]).toEqual(["arn:aws:iam::000000000000:role/trigger"]);
    expect(id["cognito:preferred_role"]).toBe("arn:aws:iam::000000000000:role/trigger");
    expect(access["cognito:groups"]).toEqual(["from-trigger"]);
    expect(access.name).toBeUndefined();
  });

  it("V1 without groupOverrideDetails keeps the groups", async () => {
    const { cognito, clientId, username } = await setup({
      PreTokenGeneration: arnOf("preTokenV1KeepGroups"),
    });
    const result = (await passwordSignIn(cognito, clientId, username)).AuthenticationResult;
    const id = decodePayload(result?.IdToken as string);
    expect(id.tier).toBe("gold");
    expect(id["cognito:groups"]).toEqual(["admins"]);
  });

  for (const [lambdaVersion, version] of [
    ["V2_0", "2"],
    ["V3_0", "3"],
  ] as const) {
    it(`${lambdaVersion}: version "${version}" events with scopes; typed claims and scopes in both tokens`, async () => {
      const { cognito, clientId, username } = await setup({
        PreTokenGenerationConfig: { LambdaVersion: lambdaVersion, LambdaArn: arnOf("preTokenV2") },
      });
      const result = (await passwordSignIn(cognito, clientId, username)).AuthenticationResult;
      expect(t.event("preTokenV2")).toMatchObject({
        version,
        triggerSource: "TokenGeneration_Authentication",
        request: {
          scopes: ["aws.cognito.signin.user.admin"],
          groupConfiguration: { groupsToOverride: ["admins"] },
          clientMetadata: null,
        },
        response: { claimsAndScopeOverrideDetails: null },
      });
      const id = decodePayload(result?.IdToken as string);
      const access = decodePayload(result?.AccessToken as string);
      expect(id).toMatchObject({
        tier: "gold",
        level: 3,
        beta: true,
        tags: ["a", "b"],
        profile: { team: "core" },
      });
      expect(id.name).toBeUndefined();
      expect(id["cognito:groups"]).toEqual(["v2-group"]);
      expect(id["cognito:roles"]).toBeUndefined();
      expect(access.tenant).toBe("acme");
      expect(access.hidden).toBeUndefined();
      expect(access.client_id).toBe(clientId);
      expect(access.scope).toBe("orders/read");
      expect(access["cognito:groups"]).toEqual(["v2-group"]);
    });
  }

  it("V2: a standard ID-token claim of the wrong type is an unrecognizable output", async () => {
    const { cognito, clientId, username } = await setup({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arnOf("preTokenV2WrongType") },
    });
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
  });

  it("a failure means no tokens", async () => {
    const { cognito, clientId, username } = await setup({ PreTokenGeneration: arnOf("preTokenThrows") });
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreTokenGeneration failed with error Nope.",
    });
  });

  it("TokenGeneration_NewPasswordChallenge carries RespondToAuthChallenge's ClientMetadata", async () => {
    const { cognito, poolId, clientId } = await setup({ PreTokenGeneration: arnOf("preToken") });
    const username = unique("invited");
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    const first = await passwordSignIn(cognito, clientId, username);
    expect(first.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const out = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: OTHER_PASSWORD },
        ClientMetadata: { step: "new-password" },
      }),
    );
    expect(out.AuthenticationResult).toBeDefined();
    expect(t.event("preToken")).toMatchObject({
      triggerSource: "TokenGeneration_NewPasswordChallenge",
      userName: username,
      request: { clientMetadata: { step: "new-password" } },
    });
  });

  it("TokenGeneration_RefreshTokens on refresh, and its overrides apply to the new tokens", async () => {
    const { cognito, clientId, username } = await setup({ PreTokenGeneration: arnOf("preTokenV1") });
    const signedIn = (await passwordSignIn(cognito, clientId, username)).AuthenticationResult;
    t.clear();
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: signedIn?.RefreshToken as string },
      }),
    );
    expect(t.event("preTokenV1")).toMatchObject({
      triggerSource: "TokenGeneration_RefreshTokens",
      request: { clientMetadata: null },
    });
    expect(decodePayload(refreshed.AuthenticationResult?.IdToken as string).name).toBe("Overridden");
  });
});
