// CUSTOM_AUTH when things go wrong: trigger failures, spent and expired sessions, unknown users, refused users and clients.
import { fileURLToPath } from "node:url";
import {
  AdminDisableUserCommand,
  type ChallengeNameType,
  type CognitoIdentityProviderClient,
  type ExplicitAuthFlowsType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createCognitoRunner } from "../../../src/cognito/trigger-runner/cognito-runner.js";
import {
  type CustomAuthTriggers,
  FixtureInvoker,
  fixtureArn,
  lambdaConfigFor,
  lastOtp,
  OTP,
} from "../../helpers/custom-auth-invoker.js";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  PASSWORD,
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
  const { clientId } = await createClient(cognito, poolId, { ExplicitAuthFlows: FLOWS, ...options.client });
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  invoker.reset();
  return { cognito, clock, poolId, clientId, username };
}

const initiate = (cognito: CognitoIdentityProviderClient, clientId: string, params: Record<string, string>) =>
  cognito.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: params }),
  );

const answer = (
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  session: string | undefined,
  responses: Record<string, string>,
  challengeName: ChallengeNameType = "CUSTOM_CHALLENGE",
) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: challengeName,
      Session: session,
      ChallengeResponses: responses,
    }),
  );

const INVALID_SESSION = { name: "NotAuthorizedException", message: "Invalid session for the user." };
const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };

describe("trigger failures", () => {
  it("DefineAuthChallenge throwing: UserLambdaValidationException with Cognito's wording", async () => {
    const { cognito, clientId, username } = await setup({ define: "throws" });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "UserLambdaValidationException",
      message: "DefineAuthChallenge failed with error boom.",
    });
  });

  it("CreateAuthChallenge throwing: no challenge, no session", async () => {
    const { cognito, clientId, username } = await setup({ ...OTP, create: "throws" });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "UserLambdaValidationException",
      message: "CreateAuthChallenge failed with error boom.",
    });
  });

  it("VerifyAuthChallengeResponse throwing spends the session: the client must start over", async () => {
    const { cognito, clientId, username } = await setup({ ...OTP, verify: "throws" });
    const started = await initiate(cognito, clientId, { USERNAME: username });
    expect(
      await errorOf(answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: "1" })),
    ).toEqual({
      name: "UserLambdaValidationException",
      message: "VerifyAuthChallengeResponse failed with error boom.",
    });
    expect(
      await errorOf(answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: "1" })),
    ).toEqual(INVALID_SESSION);
  });

  it("Define returning the event unchanged (no decision): Unrecognizable lambda output", async () => {
    const { cognito, clientId, username } = await setup({ define: "unchanged" });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
  });

  it("Define asking for PASSWORD_VERIFIER in a flow that sent no SRP_A: Unrecognizable lambda output", async () => {
    const { cognito, clientId, username } = await setup({ define: "verifier-define" });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "InvalidLambdaResponseException",
      message: "Unrecognizable lambda output",
    });
  });

  it("a failing PostAuthentication withholds the tokens at the end of the custom flow", async () => {
    const triggers = { define: "tokens-define" };
    const { cognito, clientId, username } = await setup(triggers, {
      pool: { LambdaConfig: { ...lambdaConfigFor(triggers), PostAuthentication: fixtureArn("throws") } },
    });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "UserLambdaValidationException",
      message: "PostAuthentication failed with error boom.",
    });
  });
});

describe("sessions", () => {
  it("each Session answers once: replaying a spent one is refused", async () => {
    const { cognito, clientId, username } = await setup();
    const first = await initiate(cognito, clientId, { USERNAME: username });
    const second = await answer(cognito, clientId, first.Session, { USERNAME: username, ANSWER: "nope" });
    expect(second.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(
      await errorOf(
        answer(cognito, clientId, first.Session, { USERNAME: username, ANSWER: lastOtp(invoker) }),
      ),
    ).toEqual(INVALID_SESSION);
    // The newer one is still good.
    const done = await answer(cognito, clientId, second.Session, {
      USERNAME: username,
      ANSWER: lastOtp(invoker),
    });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it("a Session expires after the client's AuthSessionValidity (default 3 minutes)", async () => {
    const { cognito, clock, clientId, username } = await setup();
    const started = await initiate(cognito, clientId, { USERNAME: username });
    clock.advance(3 * 60_000);
    expect(
      await errorOf(
        answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: lastOtp(invoker) }),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("AuthSessionValidity applies per round: 10 minutes allows a slow answer", async () => {
    const { cognito, clock, clientId, username } = await setup(OTP, { client: { AuthSessionValidity: 10 } });
    const first = await initiate(cognito, clientId, { USERNAME: username });
    clock.advance(9 * 60_000);
    const second = await answer(cognito, clientId, first.Session, { USERNAME: username, ANSWER: "wrong" });
    clock.advance(9 * 60_000);
    const done = await answer(cognito, clientId, second.Session, {
      USERNAME: username,
      ANSWER: lastOtp(invoker),
    });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it("a USERNAME other than the session's user is refused without spending the session", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const other = unique("other");
    await createUser(cognito, poolId, other);
    const started = await initiate(cognito, clientId, { USERNAME: username });
    const code = lastOtp(invoker);
    expect(
      await errorOf(answer(cognito, clientId, started.Session, { USERNAME: other, ANSWER: code })),
    ).toEqual(INVALID_SESSION);
    expect(invoker.sources()).not.toContain("VerifyAuthChallengeResponse_Authentication");
    const done = await answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: code });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it("a session of another client, another challenge, or none at all answers nothing", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const started = await initiate(cognito, clientId, { USERNAME: username });
    const code = lastOtp(invoker);
    const other = await createClient(cognito, poolId, { ExplicitAuthFlows: FLOWS });
    expect(
      await errorOf(answer(cognito, other.clientId, started.Session, { USERNAME: username, ANSWER: code })),
    ).toEqual(INVALID_SESSION);
    expect(
      await errorOf(
        answer(
          cognito,
          clientId,
          started.Session,
          { USERNAME: username, NEW_PASSWORD: "N3w-Passw0rd!" },
          "NEW_PASSWORD_REQUIRED",
        ),
      ),
    ).toEqual(INVALID_SESSION);
    expect(await errorOf(answer(cognito, clientId, undefined, { USERNAME: username, ANSWER: code }))).toEqual(
      INVALID_SESSION,
    );
    expect(
      await errorOf(answer(cognito, clientId, "x".repeat(64), { USERNAME: username, ANSWER: code })),
    ).toEqual(INVALID_SESSION);
    // None of those spent it.
    const done = await answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: code });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it("ANSWER and USERNAME are required", async () => {
    const { cognito, clientId, username } = await setup();
    const started = await initiate(cognito, clientId, { USERNAME: username });
    expect(await errorOf(answer(cognito, clientId, started.Session, { USERNAME: username }))).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter ANSWER",
    });
    expect(await errorOf(answer(cognito, clientId, started.Session, { ANSWER: "1" }))).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter USERNAME",
    });
    expect(await errorOf(initiate(cognito, clientId, {}))).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter USERNAME",
    });
  });
});

describe("unknown users", () => {
  it("LEGACY: UserNotFoundException before any trigger runs", async () => {
    const { cognito, clientId } = await setup();
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: "nobody" }))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    expect(invoker.calls).toEqual([]);
  });

  it("PreventUserExistenceErrors=ENABLED: the triggers run with userNotFound true and the flow looks the same", async () => {
    const { cognito, poolId, clientId } = await setup(OTP, {
      client: { PreventUserExistenceErrors: "ENABLED" },
    });
    const first = await initiate(cognito, clientId, { USERNAME: "nobody" });
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.ChallengeParameters).toEqual({ email: "", attempt: "1", USERNAME: "nobody" });
    const envelope = { userPoolId: poolId, userName: "nobody" };
    expect(invoker.calls.map((c) => c.event)).toEqual([
      expect.objectContaining({
        ...envelope,
        triggerSource: "PreAuthentication_Authentication",
        request: { userAttributes: {}, validationData: null, userNotFound: true },
      }),
      expect.objectContaining({
        ...envelope,
        triggerSource: "DefineAuthChallenge_Authentication",
        request: { userAttributes: {}, session: [], userNotFound: true },
      }),
      expect.objectContaining({
        ...envelope,
        triggerSource: "CreateAuthChallenge_Authentication",
        request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [], userNotFound: true },
      }),
    ]);
    let round = first;
    for (let i = 0; i < 2; i++) {
      round = await answer(cognito, clientId, round.Session, { USERNAME: "nobody", ANSWER: "wrong" });
      expect(round.ChallengeName).toBe("CUSTOM_CHALLENGE");
    }
    expect(invoker.eventsOf("otp-verify")[0]).toMatchObject({
      userName: "nobody",
      request: { userAttributes: {}, userNotFound: true },
    });
    // Even the right code cannot sign in a user who does not exist: Define's tokens become a failure.
    expect(
      await errorOf(
        answer(cognito, clientId, round.Session, { USERNAME: "nobody", ANSWER: lastOtp(invoker) }),
      ),
    ).toEqual(INCORRECT);
  });

  it("ENABLED with a known user: userNotFound is false; with tokens-define an unknown name still gets no tokens", async () => {
    const { cognito, clientId, username } = await setup(
      { define: "tokens-define" },
      { client: { PreventUserExistenceErrors: "ENABLED" } },
    );
    const done = await initiate(cognito, clientId, { USERNAME: username });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(invoker.eventsOf("tokens-define")[0]).toMatchObject({ request: { userNotFound: false } });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: "nobody" }))).toEqual(INCORRECT);
  });

  it("ENABLED, SRP_A for an unknown name: a PASSWORD_VERIFIER challenge that can only fail", async () => {
    const { cognito, clientId } = await setup(
      { ...OTP, define: "srp-define" },
      { client: { PreventUserExistenceErrors: "ENABLED" } },
    );
    const start = srpStart();
    const first = await initiate(cognito, clientId, {
      USERNAME: "nobody",
      SRP_A: start.A,
      CHALLENGE_NAME: "SRP_A",
    });
    expect(first.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(first.ChallengeParameters?.USER_ID_FOR_SRP).toBe("nobody");
    // The same salt every time for the same name, as for a real user.
    const again = await initiate(cognito, clientId, {
      USERNAME: "nobody",
      SRP_A: start.A,
      CHALLENGE_NAME: "SRP_A",
    });
    expect(again.ChallengeParameters?.SALT).toBe(first.ChallengeParameters?.SALT);
  });
});

describe("who may start", () => {
  it("a client without ALLOW_CUSTOM_AUTH", async () => {
    const { cognito, clientId, username } = await setup(OTP, {
      client: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "InvalidParameterException",
      message: "CUSTOM_AUTH flow not enabled for this client",
    });
  });

  it("a pool without DefineAuthChallenge", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito);
    const { clientId } = await createClient(cognito, poolId, { ExplicitAuthFlows: FLOWS });
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: "anyone" }))).toEqual({
      name: "InvalidParameterException",
      message: "Custom auth lambda trigger is not configured for the user pool.",
    });
  });

  it("a disabled user, after PreAuthentication", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
    expect(invoker.sources()).toEqual(["PreAuthentication_Authentication"]);
  });

  it("a user disabled between two rounds", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const started = await initiate(cognito, clientId, { USERNAME: username });
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    expect(
      await errorOf(
        answer(cognito, clientId, started.Session, { USERNAME: username, ANSWER: lastOtp(invoker) }),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });

  it("an unconfirmed user", async () => {
    const { cognito, clientId } = await setup();
    const username = unique("signup");
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
    expect(await errorOf(initiate(cognito, clientId, { USERNAME: username }))).toEqual({
      name: "UserNotConfirmedException",
      message: "User is not confirmed.",
    });
  });

  it("an SRP_A that is not a valid SRP value", async () => {
    const { cognito, clientId, username } = await setup({ ...OTP, define: "srp-define" });
    expect(
      await errorOf(
        initiate(cognito, clientId, { USERNAME: username, SRP_A: "00", CHALLENGE_NAME: "SRP_A" }),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "SRP_A is not valid." });
  });
});
