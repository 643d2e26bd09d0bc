// USER_SRP_AUTH through the SDK and through amazon-cognito-identity-js: challenge shape, verifier checks, existence hiding.
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { describe, expect, it } from "vitest";
import { N } from "../../../src/cognito/domain/srp.js";
import { formatSrpTimestamp } from "../../../src/cognito/domain/timestamp.js";
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
  srpSignIn,
  srpStart,
  unique,
} from "./auth-fixtures.js";

const get = useTestServer();

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };

async function setup(
  clientInput: Parameters<typeof createClient>[2] = {},
  poolInput: Parameters<typeof createPool>[1] = {},
) {
  const { cognito, clock } = get();
  const poolId = await createPool(cognito, poolInput);
  const { clientId, clientSecret } = await createClient(cognito, poolId, clientInput);
  return { cognito, clock, poolId, clientId, clientSecret };
}

const initiate = (clientId: string, params: Record<string, string>) =>
  new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: params });

const verifier = (clientId: string, responses: Record<string, string>) =>
  new RespondToAuthChallengeCommand({
    ClientId: clientId,
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeResponses: responses,
  });

describe("USER_SRP_AUTH", () => {
  it("first returns PASSWORD_VERIFIER without a Session, naming the internal username", async () => {
    const { cognito, clientId, poolId } = await setup({}, { UsernameAttributes: ["email"] });
    const internal = await createUser(cognito, poolId, "gina@example.com");
    const start = srpStart();
    const out = await cognito.send(initiate(clientId, { USERNAME: "gina@example.com", SRP_A: start.A }));
    expect(out.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(out.Session).toBeUndefined();
    expect(out.AuthenticationResult).toBeUndefined();
    const params = out.ChallengeParameters as Record<string, string>;
    expect(Object.keys(params).sort()).toEqual([
      "SALT",
      "SECRET_BLOCK",
      "SRP_B",
      "USERNAME",
      "USER_ID_FOR_SRP",
    ]);
    expect(params.USER_ID_FOR_SRP).toBe(internal);
    expect(params.USERNAME).toBe(internal);
    expect(params.SALT).toMatch(/^[0-9a-f]+$/);
    expect(params.SRP_B).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(params.SECRET_BLOCK as string, "base64").toString("base64")).toBe(params.SECRET_BLOCK);
  });

  it("signs in with a correct password proof", async () => {
    const { cognito, clock, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "hank");
    const out = await srpSignIn(cognito, {
      poolId,
      clientId,
      username: "hank",
      password: PASSWORD,
      now: clock.now(),
    });
    expect(out.AuthenticationResult?.TokenType).toBe("Bearer");
    expect(decodePayload(out.AuthenticationResult?.AccessToken as string).username).toBe("hank");
  });

  it("works with amazon-cognito-identity-js, NEW_PASSWORD_REQUIRED included", async () => {
    const { cognito, url } = get();
    const { poolId, clientId } = await setup();
    await createUser(cognito, poolId, "iris", { attributes: [{ Name: "email", Value: "iris@example.com" }] });
    await createUser(cognito, poolId, "jack", { permanent: false });
    const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: url });

    const signIn = (username: string, password: string) =>
      new Promise<{
        session?: CognitoUserSession;
        newPassword?: { attributes: unknown; required: unknown };
        user: CognitoUser;
      }>((resolve, reject) => {
        const user = new CognitoUser({ Username: username, Pool: userPool });
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
          onSuccess: (session) => resolve({ session, user }),
          onFailure: reject,
          newPasswordRequired: (attributes, required) =>
            resolve({ newPassword: { attributes, required }, user }),
        });
      });

    const iris = await signIn("iris", PASSWORD);
    expect(iris.session?.isValid()).toBe(true);
    expect(iris.session?.getIdToken().decodePayload().email).toBe("iris@example.com");
    expect(iris.session?.getAccessToken().decodePayload().username).toBe("iris");

    const wrong = await signIn("iris", OTHER_PASSWORD).catch((e: { code?: string; message: string }) => e);
    expect(wrong).toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });

    const jack = await signIn("jack", PASSWORD);
    expect(jack.newPassword).toEqual({ attributes: {}, required: [] });
    const completed = await new Promise<CognitoUserSession>((resolve, reject) =>
      jack.user.completeNewPasswordChallenge(OTHER_PASSWORD, {}, { onSuccess: resolve, onFailure: reject }),
    );
    expect(completed.getAccessToken().decodePayload().username).toBe("jack");
    const again = await signIn("jack", OTHER_PASSWORD);
    expect(again.session?.isValid()).toBe(true);
  });

  it("rejects a wrong password as Incorrect username or password, counting it toward lockout", async () => {
    const { cognito, clock, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "kate");
    for (let i = 0; i < 5; i++)
      expect(
        await errorOf(
          srpSignIn(cognito, {
            poolId,
            clientId,
            username: "kate",
            password: OTHER_PASSWORD,
            now: clock.now(),
          }),
        ),
      ).toEqual(INCORRECT);
    expect(
      await errorOf(
        srpSignIn(cognito, { poolId, clientId, username: "kate", password: PASSWORD, now: clock.now() }),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
  });

  it("tells an unparsable TIMESTAMP from one that merely differs from Cognito's rendering", async () => {
    const { cognito, clock, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "liam");
    const start = srpStart();
    const first = await cognito.send(initiate(clientId, { USERNAME: "liam", SRP_A: start.A }));
    const params = first.ChallengeParameters as Record<string, string>;
    const answer = (timestamp: string) =>
      srpAnswer({ poolId, start, params, password: PASSWORD, now: clock.now(), timestamp });
    expect(await errorOf(cognito.send(verifier(clientId, answer("2026-01-15T12:00:00Z"))))).toEqual({
      name: "InvalidParameterException",
      message: "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
    });
    // Parseable but not Cognito's own rendering (wrong weekday, padded day): only the proof fails.
    expect(await errorOf(cognito.send(verifier(clientId, answer("Fri Jan 15 12:00:00 UTC 2026"))))).toEqual(
      INCORRECT,
    );
    const padded = formatSrpTimestamp(Date.UTC(2026, 0, 5, 12)).replace(" 5 ", " 05 ");
    expect(await errorOf(cognito.send(verifier(clientId, answer(padded))))).toEqual(INCORRECT);
    // The same challenge still completes with a proper timestamp.
    const done = await cognito.send(verifier(clientId, answer(formatSrpTimestamp(clock.now()))));
    expect(done.AuthenticationResult).toBeDefined();
  });

  it("rejects a tampered, foreign or stale SECRET_BLOCK", async () => {
    const { cognito, clock, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "mia");
    const start = srpStart();
    const first = await cognito.send(initiate(clientId, { USERNAME: "mia", SRP_A: start.A }));
    const params = first.ChallengeParameters as Record<string, string>;
    const block = Buffer.from(params.SECRET_BLOCK as string, "base64");
    block[block.length - 1] = (block[block.length - 1] as number) ^ 1;
    const tampered = { ...params, SECRET_BLOCK: block.toString("base64") };
    expect(
      await errorOf(
        cognito.send(
          verifier(
            clientId,
            srpAnswer({ poolId, start, params: tampered, password: PASSWORD, now: clock.now() }),
          ),
        ),
      ),
    ).toEqual(INCORRECT);
    const other = await createClient(cognito, poolId);
    expect(
      await errorOf(
        cognito.send(
          verifier(
            other.clientId,
            srpAnswer({ poolId, start, params, password: PASSWORD, now: clock.now() }),
          ),
        ),
      ),
    ).toEqual(INCORRECT);
    clock.advance(5 * 60_000 + 1000);
    expect(
      await errorOf(
        cognito.send(
          verifier(clientId, srpAnswer({ poolId, start, params, password: PASSWORD, now: clock.now() })),
        ),
      ),
    ).toEqual(INCORRECT);
  });

  it("checks parameters, SRP_A and the user's state on the first leg", async () => {
    const { cognito, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "noah");
    expect(await errorOf(cognito.send(initiate(clientId, { USERNAME: "noah" })))).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter SRP_A",
    });
    expect(
      await errorOf(cognito.send(initiate(clientId, { USERNAME: "noah", SRP_A: N.toString(16) }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "SRP_A is not valid.",
    });
    const start = srpStart();
    expect(await errorOf(cognito.send(initiate(clientId, { USERNAME: "nobody", SRP_A: start.A })))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const unconfirmed = unique("unconfirmed");
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: unconfirmed, Password: PASSWORD }));
    expect(
      await errorOf(cognito.send(initiate(clientId, { USERNAME: unconfirmed, SRP_A: start.A }))),
    ).toEqual({
      name: "UserNotConfirmedException",
      message: "User is not confirmed.",
    });
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "noah" }));
    expect(await errorOf(cognito.send(initiate(clientId, { USERNAME: "noah", SRP_A: start.A })))).toEqual({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });

  it("hides unknown users under PreventUserExistenceErrors with a stable fake challenge", async () => {
    const { cognito, clock, clientId, poolId } = await setup({ PreventUserExistenceErrors: "ENABLED" });
    await createUser(cognito, poolId, "olga");
    const start = srpStart();
    const fake1 = (await cognito.send(initiate(clientId, { USERNAME: "nobody", SRP_A: start.A })))
      .ChallengeParameters as Record<string, string>;
    const fake2 = (await cognito.send(initiate(clientId, { USERNAME: "nobody", SRP_A: start.A })))
      .ChallengeParameters as Record<string, string>;
    const real = (await cognito.send(initiate(clientId, { USERNAME: "olga", SRP_A: start.A })))
      .ChallengeParameters as Record<string, string>;
    expect(Object.keys(fake1).sort()).toEqual(Object.keys(real).sort());
    expect(fake1.SALT).toBe(fake2.SALT);
    expect(fake1.USER_ID_FOR_SRP).toBe("nobody");
    expect(fake1.SALT).toHaveLength((real.SALT as string).length);
    expect(fake1.SECRET_BLOCK).not.toBe(fake2.SECRET_BLOCK);
    const unknown = await errorOf(
      cognito.send(
        verifier(clientId, srpAnswer({ poolId, start, params: fake1, password: PASSWORD, now: clock.now() })),
      ),
    );
    const wrong = await errorOf(
      cognito.send(
        verifier(
          clientId,
          srpAnswer({ poolId, start, params: real, password: OTHER_PASSWORD, now: clock.now() }),
        ),
      ),
    );
    expect(unknown).toEqual(INCORRECT);
    expect(wrong).toEqual(unknown);
  });

  it("fakes UUID identities where usernames are UUIDs", async () => {
    const { cognito, clientId } = await setup(
      { PreventUserExistenceErrors: "ENABLED" },
      { UsernameAttributes: ["email"] },
    );
    const start = srpStart();
    const fake = (await cognito.send(initiate(clientId, { USERNAME: "ghost@example.com", SRP_A: start.A })))
      .ChallengeParameters;
    expect(fake?.USER_ID_FOR_SRP).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("takes SECRET_HASH over the typed name first and the internal username after", async () => {
    const { cognito, clock, clientId, clientSecret, poolId } = await setup(
      { GenerateSecret: true },
      { UsernameAttributes: ["email"] },
    );
    const secret = clientSecret as string;
    const internal = await createUser(cognito, poolId, "pia@example.com");
    const start = srpStart();
    expect(
      await errorOf(cognito.send(initiate(clientId, { USERNAME: "pia@example.com", SRP_A: start.A }))),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    const first = await cognito.send(
      initiate(clientId, {
        USERNAME: "pia@example.com",
        SRP_A: start.A,
        SECRET_HASH: hashFor(secret, "pia@example.com", clientId),
      }),
    );
    const params = first.ChallengeParameters as Record<string, string>;
    const answer = srpAnswer({ poolId, start, params, password: PASSWORD, now: clock.now() });
    expect(
      await errorOf(
        cognito.send(
          verifier(clientId, { ...answer, SECRET_HASH: hashFor(secret, "pia@example.com", clientId) }),
        ),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const done = await cognito.send(
      verifier(clientId, { ...answer, SECRET_HASH: hashFor(secret, internal, clientId) }),
    );
    expect(done.AuthenticationResult).toBeDefined();
    const full = await srpSignIn(cognito, {
      poolId,
      clientId,
      username: "pia@example.com",
      password: PASSWORD,
      now: clock.now(),
      secret,
    });
    expect(full.AuthenticationResult).toBeDefined();
  });

  it("runs through AdminInitiateAuth and AdminRespondToAuthChallenge", async () => {
    const { cognito, clock, clientId, poolId } = await setup();
    await createUser(cognito, poolId, "quinn");
    const start = srpStart();
    const first = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "quinn", SRP_A: start.A },
      }),
    );
    expect(first.ChallengeName).toBe("PASSWORD_VERIFIER");
    const done = await cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: srpAnswer({
          poolId,
          start,
          params: first.ChallengeParameters as Record<string, string>,
          password: PASSWORD,
          now: clock.now(),
        }),
      }),
    );
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it("needs ALLOW_USER_SRP_AUTH", async () => {
    const { cognito, clientId } = await setup({
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    expect(await errorOf(cognito.send(initiate(clientId, { USERNAME: "x", SRP_A: srpStart().A })))).toEqual({
      name: "InvalidParameterException",
      message: "USER_SRP_AUTH flow not enabled for this client",
    });
  });
});
