// The events `invoke` and `event` build are the server's: buildEvent against what the real server sends its runner.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeEach, describe, expect, it } from "vitest";
import { type BuildEventOptions, buildAnyEvent } from "../../src/triggers/build-event.js";
import { errorOf, useTestServer } from "../helpers/server.js";
import {
  createClient,
  createPool,
  FUNCTION_ARN,
  lastCode,
  PASSWORD,
  ScriptedTriggers,
} from "./cognito/signup-helpers.js";

const runner = new ScriptedTriggers();
const get = useTestServer({ triggers: runner });

beforeEach(() => runner.reset());

const LAMBDA_CONFIG = {
  PreSignUp: FUNCTION_ARN,
  PostConfirmation: FUNCTION_ARN,
  PreAuthentication: FUNCTION_ARN,
  PostAuthentication: FUNCTION_ARN,
  PreTokenGeneration: FUNCTION_ARN,
  CustomMessage: FUNCTION_ARN,
  UserMigration: FUNCTION_ARN,
};

async function pool(lambdaConfig: Record<string, unknown> = LAMBDA_CONFIG) {
  const { cognito } = get();
  const poolId = await createPool(cognito, { LambdaConfig: lambdaConfig, AutoVerifiedAttributes: ["email"] });
  const { clientId } = await createClient(cognito, poolId, {
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  });
  return { cognito, poolId, clientId };
}

/** The one event the server sent for `source`. */
function recorded(poolId: string, source: string): Record<string, unknown> {
  const events = runner.events(poolId, source);
  expect(events).toHaveLength(1);
  return events[0] as Record<string, unknown>;
}

/** The user's attributes as the server stores them (what triggers see besides sub and status). */
async function stored(cognito: CognitoIdentityProviderClient, poolId: string, username: string) {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value ?? ""]));
  const { sub, ...rest } = attributes;
  return { sub: sub as string, userAttributes: rest };
}

function built(source: string, event: Record<string, unknown>, options: BuildEventOptions) {
  const caller = event.callerContext as { awsSdkVersion: string };
  return buildAnyEvent(source, {
    userPoolId: String(event.userPoolId),
    awsSdkVersion: caller.awsSdkVersion,
    ...options,
  });
}

describe("buildEvent builds the events the server sends", () => {
  it("SignUp, ConfirmSignUp and a password sign-in: PreSignUp, CustomMessage, PostConfirmation, PreAuthentication, TokenGeneration, PostAuthentication", async () => {
    const { cognito, poolId, clientId } = await pool();
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ana",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
        ValidationData: [{ Name: "captcha", Value: "ok" }],
        ClientMetadata: { origin: "web" },
      }),
    );
    const preSignUp = recorded(poolId, "PreSignUp_SignUp");
    expect(preSignUp).toEqual(
      built("PreSignUp_SignUp", preSignUp, {
        userName: "ana",
        clientId,
        userAttributes: { email: "ana@example.com" },
        validationData: { captcha: "ok" },
        clientMetadata: { origin: "web" },
      }),
    );
    const unconfirmed = await stored(cognito, poolId, "ana");
    const message = recorded(poolId, "CustomMessage_SignUp");
    expect(message).toEqual(
      built("CustomMessage_SignUp", message, {
        userName: "ana",
        clientId,
        clientMetadata: { origin: "web" },
        ...unconfirmed,
      }),
    );

    const code = await lastCode(get().url, poolId, "ana");
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: "ana",
        ConfirmationCode: code,
        ClientMetadata: { step: "2" },
      }),
    );
    const confirmed = await stored(cognito, poolId, "ana");
    const postConfirmation = recorded(poolId, "PostConfirmation_ConfirmSignUp");
    expect(postConfirmation).toEqual(
      built("PostConfirmation_ConfirmSignUp", postConfirmation, {
        userName: "ana",
        clientId,
        clientMetadata: { step: "2" },
        ...confirmed,
      }),
    );

    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ana", PASSWORD },
        ClientMetadata: { device: "cli" },
      }),
    );
    const user = { userName: "ana", clientId, ...(await stored(cognito, poolId, "ana")) };
    const preAuthentication = recorded(poolId, "PreAuthentication_Authentication");
    // InitiateAuth's ClientMetadata reaches PreAuthentication as validationData, and no other trigger.
    expect(preAuthentication).toEqual(
      built("PreAuthentication_Authentication", preAuthentication, {
        ...user,
        validationData: { device: "cli" },
      }),
    );
    const tokens = recorded(poolId, "TokenGeneration_Authentication");
    expect(tokens).toEqual(built("TokenGeneration_Authentication", tokens, user));
    const postAuthentication = recorded(poolId, "PostAuthentication_Authentication");
    expect(postAuthentication).toEqual(built("PostAuthentication_Authentication", postAuthentication, user));
  });

  it("AdminCreateUser: PreSignUp and CustomMessage without a client", async () => {
    const { cognito, poolId } = await pool();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "bo",
        UserAttributes: [{ Name: "email", Value: "bo@example.com" }],
        DesiredDeliveryMediums: ["EMAIL"],
        ClientMetadata: { by: "admin" },
      }),
    );
    const preSignUp = recorded(poolId, "PreSignUp_AdminCreateUser");
    expect(preSignUp).toEqual(
      built("PreSignUp_AdminCreateUser", preSignUp, {
        userName: "bo",
        userAttributes: { email: "bo@example.com" },
        clientMetadata: { by: "admin" },
      }),
    );
    const invitation = recorded(poolId, "CustomMessage_AdminCreateUser");
    expect(invitation).toEqual(
      built("CustomMessage_AdminCreateUser", invitation, {
        userName: "bo",
        clientMetadata: { by: "admin" },
        ...(await stored(cognito, poolId, "bo")),
      }),
    );
  });

  it("UserMigration_Authentication: the typed name and password, ClientMetadata as validationData", async () => {
    const { cognito, poolId, clientId } = await pool();
    await errorOf(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "legacy", PASSWORD: "0ld-Passw0rd" },
          ClientMetadata: { from: "old-system" },
        }),
      ),
    );
    const migration = recorded(poolId, "UserMigration_Authentication");
    expect(migration).toEqual(
      built("UserMigration_Authentication", migration, {
        userName: "legacy",
        clientId,
        password: "0ld-Passw0rd",
        validationData: { from: "old-system" },
      }),
    );
  });

  it("PreTokenGeneration V2_0: version 2, the scopes and the groups", async () => {
    const { cognito, poolId, clientId } = await pool({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: FUNCTION_ARN },
    });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "cy",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "cy",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "cy", PASSWORD },
      }),
    );
    const tokens = recorded(poolId, "TokenGeneration_Authentication");
    expect(tokens.version).toBe("2");
    expect(tokens).toEqual(
      built("TokenGeneration_Authentication", tokens, {
        userName: "cy",
        clientId,
        version: "2",
        ...(await stored(cognito, poolId, "cy")),
      }),
    );
  });

  it("custom auth: DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse and the session", async () => {
    const arn = {
      DefineAuthChallenge: FUNCTION_ARN,
      CreateAuthChallenge: FUNCTION_ARN,
      VerifyAuthChallengeResponse: FUNCTION_ARN,
    };
    const { cognito, poolId } = await pool(arn);
    const { clientId } = await createClient(cognito, poolId, { ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH"] });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "di",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "di",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    runner.handlers.set("DefineAuthChallenge_Authentication", (event) => {
      const session = (event.request as { session: unknown[] }).session;
      const done = session.length > 0;
      return {
        ...(event.response as object),
        challengeName: done ? null : "CUSTOM_CHALLENGE",
        issueTokens: done,
      };
    });
    runner.handlers.set("CreateAuthChallenge_Authentication", () => ({
      publicChallengeParameters: { question: "6 x 7" },
      privateChallengeParameters: { answer: "42" },
      challengeMetadata: "Q1",
    }));
    runner.handlers.set("VerifyAuthChallengeResponse_Authentication", () => ({ answerCorrect: true }));
    const started = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "di" },
      }),
    );
    await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "di", ANSWER: "42" },
        ClientMetadata: { round: "1" },
      }),
    );
    const user = { userName: "di", clientId, ...(await stored(cognito, poolId, "di")) };
    const [first, second] = runner.events(poolId, "DefineAuthChallenge_Authentication") as Record<
      string,
      unknown
    >[];
    expect(first).toEqual(
      built("DefineAuthChallenge_Authentication", first as Record<string, unknown>, user),
    );
    const round = {
      challengeName: "CUSTOM_CHALLENGE" as const,
      challengeResult: true,
      challengeMetadata: "Q1",
    };
    expect(second).toEqual(
      built("DefineAuthChallenge_Authentication", second as Record<string, unknown>, {
        ...user,
        session: [round],
        clientMetadata: { round: "1" },
      }),
    );
    const create = recorded(poolId, "CreateAuthChallenge_Authentication");
    expect(create).toEqual(built("CreateAuthChallenge_Authentication", create, user));
    const verify = recorded(poolId, "VerifyAuthChallengeResponse_Authentication");
    expect(verify).toEqual(
      built("VerifyAuthChallengeResponse_Authentication", verify, {
        ...user,
        privateChallengeParameters: { answer: "42" },
        challengeAnswer: "42",
        clientMetadata: { round: "1" },
      }),
    );
  });
});
