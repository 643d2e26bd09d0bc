// Concurrency on every store backend: one username, one email alias, one confirmation code, one refresh token.
import {
  type AuthenticationResultType,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  PASSWORD,
  passwordSignIn,
  unique,
} from "../integration/cognito/auth-fixtures.js";
import { lastCode } from "../integration/cognito/signup-helpers.js";
import { BACKENDS, type BackendServer, report, startBackendServer, tally } from "./helpers-concurrency.js";

describe.each(BACKENDS)("concurrency on the %s store", (backend) => {
  let running: BackendServer | undefined;
  const get = (): BackendServer => {
    if (!running) throw new Error("server not started");
    return running;
  };

  beforeAll(async () => {
    running = await startBackendServer(backend);
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
  });

  it("50 concurrent SignUps of one username: exactly one succeeds, 49 UsernameExistsException", async () => {
    const { cognito } = get();
    const poolId = await createPool(cognito);
    const { clientId } = await createClient(cognito, poolId);
    const username = unique("same");
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            // Different passwords: whichever wins, the stored user is one whole sign-up.
            Password: `${PASSWORD}${i}`,
          }),
        ),
      ),
    );
    const counts = tally(results);
    report("concurrent-signup-one-username", { backend, attempts: 50, outcomes: counts });
    expect(counts).toEqual({
      ok: 1,
      "UsernameExistsException: User already exists": 49,
    });
  });

  it("two users confirming the same email alias at once: one wins, the other gets AliasExistsException", async () => {
    const { cognito, url } = get();
    const poolId = await createPool(cognito, {
      AliasAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
    });
    const { clientId } = await createClient(cognito, poolId);
    const rounds = 5;
    const all: Record<string, number>[] = [];
    for (let round = 0; round < rounds; round++) {
      const email = `${unique("shared")}@example.com`;
      const names = [unique("alias-a"), unique("alias-b")];
      const codes: string[] = [];
      for (const name of names) {
        await cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: name,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: email }],
          }),
        );
        codes.push(await lastCode(url, poolId, name));
      }
      const results = await Promise.allSettled(
        names.map((name, i) =>
          cognito.send(
            new ConfirmSignUpCommand({ ClientId: clientId, Username: name, ConfirmationCode: codes[i] }),
          ),
        ),
      );
      const counts = tally(results);
      all.push(counts);
      expect(counts).toEqual({
        ok: 1,
        "AliasExistsException: An account with the given email already exists.": 1,
      });
      // The alias resolves to the winner alone: signing in by email reaches exactly one user.
      const winner = names[results.findIndex((r) => r.status === "fulfilled")] as string;
      const signedIn = await passwordSignIn(cognito, clientId, email);
      const access = signedIn.AuthenticationResult?.AccessToken as string;
      expect((await cognito.send(new GetUserCommand({ AccessToken: access }))).Username).toBe(winner);
    }
    report("concurrent-alias-claim", { backend, rounds, outcomes: all });
  });

  it("20 concurrent ConfirmSignUps with the right code: exactly one succeeds", async () => {
    const { cognito, url } = get();
    const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"] });
    const { clientId } = await createClient(cognito, poolId);
    const username = unique("confirm");
    await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    );
    const code = await lastCode(url, poolId, username);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        cognito.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }),
        ),
      ),
    );
    const counts = tally(results);
    report("concurrent-confirm-one-code", { backend, attempts: 20, outcomes: counts });
    // What Cognito answers a ConfirmSignUp for a user already confirmed.
    expect(counts).toEqual({
      ok: 1,
      "NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED": 19,
    });
  });

  it("refreshes racing RevokeToken of one refresh token: after revocation nothing from it works", async () => {
    const { cognito, poolId, clientId, username } = await (async () => {
      const { cognito } = get();
      const poolId = await createPool(cognito);
      const { clientId } = await createClient(cognito, poolId);
      const username = unique("refresh");
      await createUser(cognito, poolId, username);
      return { cognito, poolId, clientId, username };
    })();
    const refresh = (token: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: token },
        }),
      );
    const rounds = 3;
    const figures: Record<string, number>[] = [];
    for (let round = 0; round < rounds; round++) {
      const tokens = (await passwordSignIn(cognito, clientId, username))
        .AuthenticationResult as AuthenticationResultType;
      const refreshToken = tokens.RefreshToken as string;
      // Another session of the same user, which the revocation must leave alone.
      const bystander = (await passwordSignIn(cognito, clientId, username))
        .AuthenticationResult as AuthenticationResultType;
      // The revocation goes out in the middle of the refreshes, so some land before it and some after.
      const before = Array.from({ length: 10 }, () => refresh(refreshToken));
      const revoke = cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: refreshToken }));
      const after = Array.from({ length: 10 }, () => refresh(refreshToken));
      const [revoked, ...refreshed] = await Promise.allSettled([revoke, ...before, ...after]);
      expect(revoked?.status).toBe("fulfilled");
      // Refreshes that lost the race are refused with Cognito's revoked-token answer, nothing else.
      const counts = tally(refreshed);
      for (const key of Object.keys(counts))
        expect(["ok", "NotAuthorizedException: Refresh Token has been revoked"]).toContain(key);
      figures.push(counts);
      // After the revocation: the refresh token is dead, and so is every access token minted from it.
      expect(await errorOf(refresh(refreshToken))).toEqual({
        name: "NotAuthorizedException",
        message: "Refresh Token has been revoked",
      });
      const minted = [
        tokens.AccessToken as string,
        ...refreshed.flatMap((r) =>
          r.status === "fulfilled" ? [r.value.AuthenticationResult?.AccessToken as string] : [],
        ),
      ];
      for (const access of minted)
        expect(await errorOf(cognito.send(new GetUserCommand({ AccessToken: access })))).toEqual({
          name: "NotAuthorizedException",
          message: "Access Token has been revoked",
        });
      expect(
        (await cognito.send(new GetUserCommand({ AccessToken: bystander.AccessToken as string }))).Username,
      ).toBe(username);
    }
    report("concurrent-refresh-vs-revoke", {
      backend,
      poolId,
      rounds,
      refreshesPerRound: 20,
      outcomes: figures,
    });
  });
});
