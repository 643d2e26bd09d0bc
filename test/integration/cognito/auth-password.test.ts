// InitiateAuth / AdminInitiateAuth password flows through the SDK: results, check order, lockout, SECRET_HASH.
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  hashFor,
  OTHER_PASSWORD,
  PASSWORD,
  passwordSignIn,
  unique,
} from "./auth-fixtures.js";

const get = useTestServer();

const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };

async function setup(clientInput: Parameters<typeof createClient>[2] = {}) {
  const { cognito } = get();
  const poolId = await createPool(cognito);
  const { clientId, clientSecret } = await createClient(cognito, poolId, clientInput);
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  return { cognito, poolId, clientId, clientSecret, username };
}

describe("USER_PASSWORD_AUTH", () => {
  it("returns Cognito's AuthenticationResult", async () => {
    const { cognito, clientId, username } = await setup();
    const out = await passwordSignIn(cognito, clientId, username);
    expect(out.ChallengeName).toBeUndefined();
    expect(out.Session).toBeUndefined();
    expect(out.ChallengeParameters).toEqual({});
    const result = out.AuthenticationResult;
    expect(result?.TokenType).toBe("Bearer");
    expect(result?.ExpiresIn).toBe(3600);
    expect(result?.RefreshToken).toMatch(
      /^eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ\.[^.]*\.[^.]+\.[^.]+\.[^.]+$/,
    );
    expect(decodePayload(result?.AccessToken as string)).toMatchObject({
      token_use: "access",
      username,
      client_id: clientId,
    });
    expect(decodePayload(result?.IdToken as string)).toMatchObject({
      token_use: "id",
      "cognito:username": username,
      aud: clientId,
    });
  });

  it("signs in with a verified email alias and with an email username", async () => {
    const { cognito } = get();
    const aliasPool = await createPool(cognito, { AliasAttributes: ["email"] });
    const aliasClient = await createClient(cognito, aliasPool);
    await createUser(cognito, aliasPool, "carol", {
      attributes: [
        { Name: "email", Value: "carol@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const byAlias = await passwordSignIn(cognito, aliasClient.clientId, "carol@example.com");
    expect(decodePayload(byAlias.AuthenticationResult?.AccessToken as string).username).toBe("carol");

    const emailPool = await createPool(cognito, { UsernameAttributes: ["email"] });
    const emailClient = await createClient(cognito, emailPool);
    const internal = await createUser(cognito, emailPool, "dave@example.com");
    expect(internal).toMatch(/^[0-9a-f-]{36}$/);
    const byEmail = await passwordSignIn(cognito, emailClient.clientId, "dave@example.com");
    expect(decodePayload(byEmail.AuthenticationResult?.AccessToken as string).username).toBe(internal);
  });

  it("validates the input as Smithy does", async () => {
    const { cognito, clientId } = await setup();
    expect(
      await errorOf(
        cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "NOPE" as "USER_SRP_AUTH" })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]",
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({ ClientId: clientId } as unknown as ConstructorParameters<
            typeof InitiateAuthCommand
          >[0]),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null",
    });
  });

  it("checks the client, then the API, then the client's flows, then the parameters", async () => {
    const { cognito, clientId, poolId } = await setup();
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({ ClientId: "nosuchclient1", AuthFlow: "ADMIN_USER_PASSWORD_AUTH" }),
        ),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool client nosuchclient1 does not exist.",
    });
    expect(
      await errorOf(
        cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH" })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Initiate Auth method not supported",
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
          }),
        ),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "Initiate Auth method not supported" });
    const defaults = await createClient(cognito, poolId, { ExplicitAuthFlows: undefined });
    expect(await errorOf(passwordSignIn(cognito, defaults.clientId, "whoever"))).toEqual({
      name: "InvalidParameterException",
      message: "USER_PASSWORD_AUTH flow not enabled for this client",
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {} }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter USERNAME",
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: "x" },
          }),
        ),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "Missing required parameter PASSWORD" });
  });

  it("answers an unknown user per PreventUserExistenceErrors, ENABLED exactly like a wrong password", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    expect(await errorOf(passwordSignIn(cognito, clientId, "nobody"))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    const enabled = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const unknown = await errorOf(passwordSignIn(cognito, enabled.clientId, "nobody"));
    const wrong = await errorOf(passwordSignIn(cognito, enabled.clientId, username, "Wr0ng-password"));
    expect(unknown).toEqual(INCORRECT);
    expect(wrong).toEqual(unknown);
  });

  it("refuses a disabled user before looking at the password", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    const expected = { name: "NotAuthorizedException", message: "User is disabled." };
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual(expected);
    expect(await errorOf(passwordSignIn(cognito, clientId, username, "Wr0ng-password"))).toEqual(expected);
  });

  it("tells an UNCONFIRMED user so even when the password is wrong", async () => {
    const { cognito, clientId } = await setup();
    const username = unique("signup");
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
    const expected = { name: "UserNotConfirmedException", message: "User is not confirmed." };
    expect(await errorOf(passwordSignIn(cognito, clientId, username, "Wr0ng-password"))).toEqual(expected);
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual(expected);
  });

  it("sends a RESET_REQUIRED user to password reset (generic answer under ENABLED)", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "PasswordResetRequiredException",
      message: "Password reset required for the user",
    });
    const enabled = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    expect(await errorOf(passwordSignIn(cognito, enabled.clientId, username))).toEqual(INCORRECT);
  });

  it("rejects a wrong password", async () => {
    const { cognito, clientId, username } = await setup();
    expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual(INCORRECT);
  });

  it("locks a user out after five failures, for 2^(n-5) seconds, refusing even the right password", async () => {
    const { cognito, clock, clientId, username } = { ...(await setup()), clock: get().clock };
    for (let i = 0; i < 5; i++)
      expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual(INCORRECT);
    const exceeded = { name: "NotAuthorizedException", message: "Password attempts exceeded" };
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual(exceeded);
    clock.advance(1000);
    // The lock is over: a sixth failure locks for two seconds.
    expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual(INCORRECT);
    clock.advance(1500);
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual(exceeded);
    clock.advance(500);
    expect(
      (await passwordSignIn(cognito, clientId, username)).AuthenticationResult?.AccessToken,
    ).toBeTruthy();
    // Success reset the count: four more failures do not lock.
    for (let i = 0; i < 4; i++)
      expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual(INCORRECT);
    expect((await passwordSignIn(cognito, clientId, username)).AuthenticationResult).toBeDefined();
  });

  it("forgets failures after 15 idle minutes", async () => {
    const { cognito, clock, clientId, username } = { ...(await setup()), clock: get().clock };
    for (let i = 0; i < 5; i++) await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD));
    clock.advance(15 * 60_000);
    expect(await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD))).toEqual(INCORRECT);
    expect((await passwordSignIn(cognito, clientId, username)).AuthenticationResult).toBeDefined();
  });
});

describe("ADMIN_USER_PASSWORD_AUTH", () => {
  it("signs in through AdminInitiateAuth, legacy ADMIN_NO_SRP_AUTH included", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    for (const flow of ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"] as const) {
      const out = await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: flow,
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      );
      expect(out.AuthenticationResult?.TokenType).toBe("Bearer");
    }
  });

  it("requires the client to belong to the named pool", async () => {
    const { cognito, clientId, username } = await setup();
    const other = await createPool(cognito);
    const input = {
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH" as const,
      AuthParameters: { USERNAME: username, PASSWORD },
    };
    expect(
      await errorOf(cognito.send(new AdminInitiateAuthCommand({ ...input, UserPoolId: other }))),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: `User pool client ${clientId} does not exist.`,
    });
    expect(
      await errorOf(
        cognito.send(new AdminInitiateAuthCommand({ ...input, UserPoolId: "us-east-1_Missing1" })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_Missing1 does not exist.",
    });
  });

  it("needs ALLOW_ADMIN_USER_PASSWORD_AUTH", async () => {
    const { cognito, poolId, username } = await setup();
    const { clientId } = await createClient(cognito, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    expect(
      await errorOf(
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD },
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client",
    });
  });
});

describe("SECRET_HASH", () => {
  it("is required, checked, and computed over the name as typed", async () => {
    const { cognito, poolId, clientId, clientSecret } = await setup({ GenerateSecret: true });
    const secret = clientSecret as string;
    await createUser(cognito, poolId, "erin", {
      attributes: [
        { Name: "email", Value: "erin@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    expect(await errorOf(passwordSignIn(cognito, clientId, "erin"))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect(
      await errorOf(
        passwordSignIn(cognito, clientId, "erin", PASSWORD, {
          SECRET_HASH: hashFor(secret, "frank", clientId),
        }),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    // The secret check comes before the user lookup: an unknown user with a bad hash learns nothing.
    expect(
      await errorOf(passwordSignIn(cognito, clientId, "nobody", PASSWORD, { SECRET_HASH: "AAAA" })),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const out = await passwordSignIn(cognito, clientId, "erin", PASSWORD, {
      SECRET_HASH: hashFor(secret, "erin", clientId),
    });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    const admin = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "erin", PASSWORD, SECRET_HASH: hashFor(secret, "erin", clientId) },
      }),
    );
    expect(admin.AuthenticationResult?.IdToken).toBeTruthy();
  });
});

describe("flows this server does not run yet", () => {
  it("CUSTOM_AUTH needs a DefineAuthChallenge trigger; USER_AUTH needs ALLOW_USER_AUTH", async () => {
    const { cognito, poolId } = await setup();
    const { clientId } = await createClient(cognito, poolId, {
      ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "CUSTOM_AUTH",
            AuthParameters: { USERNAME: "x" },
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Custom auth lambda trigger is not configured for the user pool.",
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_AUTH",
            AuthParameters: { USERNAME: "x" },
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "USER_AUTH flow not enabled for this client",
    });
  });

  it("a client updated to drop a flow stops allowing it", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"],
      }),
    );
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "InvalidParameterException",
      message: "USER_PASSWORD_AUTH flow not enabled for this client",
    });
  });
});
