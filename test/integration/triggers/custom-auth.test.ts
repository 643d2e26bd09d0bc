// CUSTOM_AUTH through the AWS SDK with real handler files: passwordless OTP, multi-round, SRP first, and the exact events.
import { fileURLToPath } from "node:url";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type ExplicitAuthFlowsType,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createCognitoRunner } from "../../../src/cognito/trigger-runner/cognito-runner.js";
import {
  type CustomAuthTriggers,
  FixtureInvoker,
  lambdaConfigFor,
  lastOtp,
  OTP,
} from "../../helpers/custom-auth-invoker.js";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  hashFor,
  OTHER_PASSWORD,
  PASSWORD,
  srpAnswer,
  srpStart,
  unique,
} from "../cognito/auth-fixtures.js";

const invoker = new FixtureInvoker(
  fileURLToPath(new URL("../../fixtures/handlers/custom-auth/", import.meta.url)),
);
const get = useTestServer({ triggers: createCognitoRunner({ invoker }) });

beforeEach(() => invoker.reset());
afterAll(() => invoker.close());

const FLOWS: ExplicitAuthFlowsType[] = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

async function setup(
  triggers: CustomAuthTriggers = OTP,
  options: { pool?: Parameters<typeof createPool>[1]; client?: Parameters<typeof createClient>[2] } = {},
) {
  const { cognito, clock } = get();
  const poolId = await createPool(cognito, { LambdaConfig: lambdaConfigFor(triggers), ...options.pool });
  const { clientId, clientSecret } = await createClient(cognito, poolId, {
    ExplicitAuthFlows: FLOWS,
    ...options.client,
  });
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  const sub = await subOf(cognito, poolId, username);
  const userAttributes = {
    sub,
    email: `${username}@example.com`,
    email_verified: "true",
    "cognito:user_status": "CONFIRMED",
  };
  invoker.reset();
  return { cognito, clock, poolId, clientId, clientSecret, username, sub, userAttributes };
}

async function subOf(cognito: CognitoIdentityProviderClient, poolId: string, username: string) {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return user.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
}

const initiate = (
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  params: Record<string, string>,
  clientMetadata?: Record<string, string>,
) =>
  cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: params,
      ClientMetadata: clientMetadata,
    }),
  );

const answer = (
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  session: string | undefined,
  responses: Record<string, string>,
  clientMetadata?: Record<string, string>,
) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: responses,
      ClientMetadata: clientMetadata,
    }),
  );

const eventOf = (source: string, nth = 0) =>
  invoker.calls.filter((c) => c.event.triggerSource === source)[nth]?.event as Record<string, unknown>;

describe("passwordless e-mail OTP", () => {
  it("signs in with the code Create put in privateChallengeParameters, and each trigger gets Cognito's exact event", async () => {
    const { cognito, poolId, clientId, username, userAttributes } = await setup();
    const started = await initiate(cognito, clientId, { USERNAME: username }, { via: "initiate" });
    expect(started.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(started.Session).toEqual(expect.any(String));
    // Public parameters as strings (the number became one), plus the username.
    expect(started.ChallengeParameters).toEqual({
      email: `${username}@example.com`,
      attempt: "1",
      USERNAME: username,
    });
    const code = lastOtp(invoker);
    const done = await answer(
      cognito,
      clientId,
      started.Session,
      { USERNAME: username, ANSWER: code },
      { via: "respond" },
    );
    const tokens = done.AuthenticationResult as AuthenticationResultType;
    expect(done.ChallengeName).toBeUndefined();
    expect(done.ChallengeParameters).toEqual({});
    expect(decodePayload(tokens.IdToken as string)).toMatchObject({
      "cognito:username": username,
      email: `${username}@example.com`,
    });
    const me = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(me.Username).toBe(username);

    expect(invoker.sources()).toEqual([
      "PreAuthentication_Authentication",
      "DefineAuthChallenge_Authentication",
      "CreateAuthChallenge_Authentication",
      "VerifyAuthChallengeResponse_Authentication",
      "DefineAuthChallenge_Authentication",
      "TokenGeneration_Authentication",
      "PostAuthentication_Authentication",
    ]);
    const envelope = {
      version: "1",
      region: "us-east-1",
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: expect.stringMatching(/^aws-sdk-js-3\./), clientId },
    };
    // InitiateAuth's ClientMetadata goes to PreAuthentication as validationData, and nowhere else.
    expect(eventOf("PreAuthentication_Authentication")).toEqual({
      ...envelope,
      triggerSource: "PreAuthentication_Authentication",
      request: { userAttributes, validationData: { via: "initiate" } },
      response: {},
    });
    expect(eventOf("DefineAuthChallenge_Authentication")).toEqual({
      ...envelope,
      triggerSource: "DefineAuthChallenge_Authentication",
      request: { userAttributes, session: [] },
      response: { challengeName: null, issueTokens: false, failAuthentication: false },
    });
    expect(eventOf("CreateAuthChallenge_Authentication")).toEqual({
      ...envelope,
      triggerSource: "CreateAuthChallenge_Authentication",
      request: { userAttributes, challengeName: "CUSTOM_CHALLENGE", session: [] },
      response: {
        publicChallengeParameters: null,
        privateChallengeParameters: null,
        challengeMetadata: null,
      },
    });
    // RespondToAuthChallenge's ClientMetadata reaches Verify, Define and the token triggers.
    expect(eventOf("VerifyAuthChallengeResponse_Authentication")).toEqual({
      ...envelope,
      triggerSource: "VerifyAuthChallengeResponse_Authentication",
      request: {
        userAttributes,
        privateChallengeParameters: { code },
        challengeAnswer: code,
        clientMetadata: { via: "respond" },
      },
      response: { answerCorrect: false },
    });
    expect(eventOf("DefineAuthChallenge_Authentication", 1)).toEqual({
      ...envelope,
      triggerSource: "DefineAuthChallenge_Authentication",
      request: {
        userAttributes,
        session: [
          { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: `CODE-${code}` },
        ],
        clientMetadata: { via: "respond" },
      },
      response: { challengeName: null, issueTokens: false, failAuthentication: false },
    });
    expect(eventOf("TokenGeneration_Authentication")).toMatchObject({
      ...envelope,
      request: { userAttributes, clientMetadata: { via: "respond" } },
    });
    expect(eventOf("PostAuthentication_Authentication")).toMatchObject({
      ...envelope,
      request: { userAttributes, newDeviceUsed: false, clientMetadata: { via: "respond" } },
    });
  });

  it("a wrong code gets a new challenge with a new Session; the session history carries the failure", async () => {
    const { cognito, clientId, username } = await setup();
    const first = await initiate(cognito, clientId, { USERNAME: username });
    const code = lastOtp(invoker);
    const second = await answer(cognito, clientId, first.Session, { USERNAME: username, ANSWER: "000000x" });
    expect(second.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(second.Session).toEqual(expect.any(String));
    expect(second.Session).not.toBe(first.Session);
    expect(second.ChallengeParameters).toMatchObject({ attempt: "2", USERNAME: username });
    // The retry's Create saw the failed round and re-used the code it had sent.
    expect(eventOf("CreateAuthChallenge_Authentication", 1)).toMatchObject({
      request: {
        challengeName: "CUSTOM_CHALLENGE",
        session: [
          { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: `CODE-${code}` },
        ],
      },
    });
    const done = await answer(cognito, clientId, second.Session, { USERNAME: username, ANSWER: code });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it("three wrong codes end in failAuthentication: NotAuthorizedException, no tokens", async () => {
    const { cognito, clientId, username } = await setup();
    let round = await initiate(cognito, clientId, { USERNAME: username });
    const sessions = new Set<string>([round.Session as string]);
    for (let i = 0; i < 2; i++) {
      round = await answer(cognito, clientId, round.Session, { USERNAME: username, ANSWER: `wrong${i}` });
      expect(round.ChallengeName).toBe("CUSTOM_CHALLENGE");
      sessions.add(round.Session as string);
    }
    expect(sessions.size).toBe(3);
    expect(
      await errorOf(answer(cognito, clientId, round.Session, { USERNAME: username, ANSWER: "wrong2" })),
    ).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    const lastDefine = eventOf("DefineAuthChallenge_Authentication", 3);
    expect((lastDefine.request as { session: unknown[] }).session).toEqual([
      expect.objectContaining({ challengeResult: false }),
      expect.objectContaining({ challengeResult: false }),
      expect.objectContaining({ challengeResult: false }),
    ]);
    expect(invoker.sources()).not.toContain("TokenGeneration_Authentication");
  });

  it("signs in a FORCE_CHANGE_PASSWORD user without NEW_PASSWORD_REQUIRED, and leaves the status as it is", async () => {
    const { cognito, poolId, clientId } = await setup();
    const invitee = unique("invitee");
    await createUser(cognito, poolId, invitee, { permanent: false });
    const started = await initiate(cognito, clientId, { USERNAME: invitee });
    const done = await answer(cognito, clientId, started.Session, {
      USERNAME: invitee,
      ANSWER: lastOtp(invoker),
    });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(eventOf("DefineAuthChallenge_Authentication")).toMatchObject({
      request: { userAttributes: { "cognito:user_status": "FORCE_CHANGE_PASSWORD" } },
    });
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: invitee }));
    expect(user.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("e-mail as username: events and USERNAME carry the internal (UUID) username; any name of the user answers", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito, {
      LambdaConfig: lambdaConfigFor(OTP),
      UsernameAttributes: ["email"],
    });
    const { clientId } = await createClient(cognito, poolId, { ExplicitAuthFlows: FLOWS });
    const email = `${unique("mail")}@example.com`;
    const internal = await createUser(cognito, poolId, email, {
      attributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "true" },
      ],
    });
    invoker.reset();
    const started = await initiate(cognito, clientId, { USERNAME: email });
    expect(started.ChallengeParameters?.USERNAME).toBe(internal);
    expect(internal).not.toBe(email);
    expect(eventOf("DefineAuthChallenge_Authentication").userName).toBe(internal);
    const done = await answer(cognito, clientId, started.Session, {
      USERNAME: email,
      ANSWER: lastOtp(invoker),
    });
    expect(decodePayload(done.AuthenticationResult?.IdToken as string)["cognito:username"]).toBe(internal);
  });

  it("a client with a secret needs SECRET_HASH on both calls, over the USERNAME each sends", async () => {
    const { cognito, clientId, clientSecret, username } = await setup(OTP, {
      client: { GenerateSecret: true },
    });
    const secret = clientSecret as string;
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect(invoker.calls).toEqual([]);
    const started = await initiate(cognito, clientId, {
      USERNAME: username,
      SECRET_HASH: hashFor(secret, username, clientId),
    });
    const code = lastOtp(invoker);
    expect(
      await errorOf(
        answer(cognito, clientId, started.Session, {
          USERNAME: username,
          ANSWER: code,
          SECRET_HASH: hashFor(secret, "someone-else", clientId),
        }),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const done = await answer(cognito, clientId, started.Session, {
      USERNAME: username,
      ANSWER: code,
      SECRET_HASH: hashFor(secret, username, clientId),
    });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });
});

describe("multi-round flows", () => {
  it("three questions through AdminInitiateAuth / AdminRespondToAuthChallenge: Define sees the history grow", async () => {
    const { cognito, poolId, clientId, username } = await setup({
      define: "quiz-define",
      create: "quiz-create",
      verify: "quiz-verify",
    });
    let round = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: username },
      }),
    );
    const answers = ["4", "Paris", "blue"];
    const questions: unknown[] = [];
    for (const [i, reply] of answers.entries()) {
      expect(round.ChallengeName).toBe("CUSTOM_CHALLENGE");
      questions.push(round.ChallengeParameters);
      round = await cognito.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: round.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: reply },
          ClientMetadata: { round: String(i + 1) },
        }),
      );
    }
    expect(questions).toEqual([
      { question: "2 + 2?", round: "1", USERNAME: username },
      { question: "Capital of France?", round: "2", USERNAME: username },
      { question: "Colour of the sky?", round: "3", USERNAME: username },
    ]);
    expect(round.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    const defines = invoker.eventsOf("quiz-define");
    expect(defines.map((e) => (e.request as { session: unknown[] }).session)).toEqual([
      [],
      [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-1" }],
      [
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-1" },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-2" },
      ],
      [
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-1" },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-2" },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-3" },
      ],
    ]);
    // Admin calls through a client name that client; each round's ClientMetadata reaches that round only.
    expect(defines.map((e) => (e.callerContext as { clientId: string }).clientId)).toEqual(
      Array(4).fill(clientId),
    );
    expect(defines.map((e) => (e.request as { clientMetadata?: unknown }).clientMetadata)).toEqual([
      undefined,
      { round: "1" },
      { round: "2" },
      { round: "3" },
    ]);
    expect(
      invoker.eventsOf("quiz-create").map((e) => (e.request as { clientMetadata?: unknown }).clientMetadata),
    ).toEqual([undefined, { round: "1" }, { round: "2" }]);
  });

  it("a wrong answer in the second round fails the whole sign-in", async () => {
    const { cognito, clientId, username } = await setup({
      define: "quiz-define",
      create: "quiz-create",
      verify: "quiz-verify",
    });
    const first = await initiate(cognito, clientId, { USERNAME: username });
    const second = await answer(cognito, clientId, first.Session, { USERNAME: username, ANSWER: "4" });
    expect(second.ChallengeParameters?.question).toBe("Capital of France?");
    expect(
      await errorOf(answer(cognito, clientId, second.Session, { USERNAME: username, ANSWER: "Lyon" })),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("Define may issue tokens straight away: no challenge at all", async () => {
    const { cognito, clientId, username } = await setup({ define: "tokens-define" });
    const done = await initiate(cognito, clientId, { USERNAME: username });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(invoker.sources()).toEqual([
      "PreAuthentication_Authentication",
      "DefineAuthChallenge_Authentication",
      "TokenGeneration_Authentication",
      "PostAuthentication_Authentication",
    ]);
    // No RespondToAuthChallenge: no ClientMetadata reaches the token triggers.
    expect(eventOf("TokenGeneration_Authentication")).toMatchObject({ request: { clientMetadata: null } });
  });
});

describe("SRP_A, then PASSWORD_VERIFIER, then a custom challenge", () => {
  async function startSrp(triggers: CustomAuthTriggers = { ...OTP, define: "srp-define" }) {
    const s = await setup(triggers);
    const start = srpStart();
    const first = await initiate(s.cognito, s.clientId, {
      USERNAME: s.username,
      SRP_A: start.A,
      CHALLENGE_NAME: "SRP_A",
    });
    return { ...s, start, first };
  }

  const verify = (
    s: { cognito: CognitoIdentityProviderClient; clientId: string; poolId: string; clock: { now(): number } },
    start: ReturnType<typeof srpStart>,
    challenge: { Session?: string | undefined; ChallengeParameters?: Record<string, string> | undefined },
    password: string,
  ) =>
    s.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: s.clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        Session: challenge.Session,
        ChallengeResponses: srpAnswer({
          poolId: s.poolId,
          start,
          params: challenge.ChallengeParameters as Record<string, string>,
          password,
          now: s.clock.now(),
        }),
      }),
    );

  it("Define asks for PASSWORD_VERIFIER: Cognito's own SRP challenge (no Create), then the custom one", async () => {
    const s = await startSrp();
    const { first, username, userAttributes } = s;
    expect(first.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(first.Session).toEqual(expect.any(String));
    expect(Object.keys(first.ChallengeParameters ?? {}).sort()).toEqual([
      "SALT",
      "SECRET_BLOCK",
      "SRP_B",
      "USERNAME",
      "USER_ID_FOR_SRP",
    ]);
    expect(first.ChallengeParameters?.USER_ID_FOR_SRP).toBe(username);
    expect(invoker.sources()).toEqual([
      "PreAuthentication_Authentication",
      "DefineAuthChallenge_Authentication",
    ]);
    expect(eventOf("DefineAuthChallenge_Authentication")).toMatchObject({
      request: {
        userAttributes,
        session: [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }],
      },
    });

    const custom = await verify(s, s.start, first, PASSWORD);
    expect(custom.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(custom.Session).not.toBe(first.Session);
    const history = [
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
      { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
    ];
    expect(eventOf("DefineAuthChallenge_Authentication", 1)).toMatchObject({ request: { session: history } });
    expect(eventOf("CreateAuthChallenge_Authentication")).toMatchObject({
      request: { challengeName: "CUSTOM_CHALLENGE", session: history },
    });
    const code = lastOtp(invoker);
    const done = await answer(s.cognito, s.clientId, custom.Session, { USERNAME: username, ANSWER: code });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(eventOf("DefineAuthChallenge_Authentication", 2)).toMatchObject({
      request: {
        session: [
          ...history,
          { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: `CODE-${code}` },
        ],
      },
    });
  });

  it("a wrong password is a failed PASSWORD_VERIFIER in the history: Define decides (here: failure)", async () => {
    const s = await startSrp();
    expect(await errorOf(verify(s, s.start, s.first, OTHER_PASSWORD))).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(eventOf("DefineAuthChallenge_Authentication", 1)).toMatchObject({
      request: {
        session: [
          { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
          { challengeName: "PASSWORD_VERIFIER", challengeResult: false, challengeMetadata: null },
        ],
      },
    });
    expect(invoker.sources()).not.toContain("CreateAuthChallenge_Authentication");
  });

  it("wrong passwords inside the custom flow count towards Cognito's lockout", async () => {
    const s = await startSrp();
    let challenge = s.first;
    let start = s.start;
    for (let i = 0; i < 5; i++) {
      expect(await errorOf(verify(s, start, challenge, OTHER_PASSWORD))).toEqual({
        name: "NotAuthorizedException",
        message: "Incorrect username or password.",
      });
      start = srpStart();
      challenge = await initiate(s.cognito, s.clientId, {
        USERNAME: s.username,
        SRP_A: start.A,
        CHALLENGE_NAME: "SRP_A",
      });
    }
    invoker.reset();
    // Locked now: even the right password is refused, and Define is not asked.
    expect(await errorOf(verify(s, start, challenge, PASSWORD))).toEqual({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
    expect(invoker.calls).toEqual([]);
  });

  it("the custom flow's SECRET_BLOCK needs its Session: without it, or a second time, it is refused", async () => {
    const s = await startSrp();
    expect(await errorOf(verify(s, s.start, { ...s.first, Session: undefined }, PASSWORD))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
    await verify(s, s.start, s.first, PASSWORD);
    expect(await errorOf(verify(s, s.start, s.first, PASSWORD))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
  });

  it("USER_SRP_AUTH's own PASSWORD_VERIFIER still signs in directly", async () => {
    const s = await setup(
      { ...OTP, define: "srp-define" },
      { client: { ExplicitAuthFlows: [...FLOWS, "ALLOW_USER_SRP_AUTH"] } },
    );
    const start = srpStart();
    const first = await s.cognito.send(
      new InitiateAuthCommand({
        ClientId: s.clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: s.username, SRP_A: start.A },
      }),
    );
    expect(first.Session).toBeUndefined();
    const done = await verify(s, start, first, PASSWORD);
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(invoker.sources()).not.toContain("DefineAuthChallenge_Authentication");
  });
});
