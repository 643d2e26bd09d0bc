// Security: forged, foreign, expired and revoked tokens; attempt limits; user existence; secrets kept out of logs; input limits.
import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { poolKeys } from "../../src/cognito/domain/keys.js";
import { signClaims } from "../../src/cognito/tokens/issue.js";
import { createLogger } from "../../src/shared/logger.js";
import { errorOf, startTestServer, type TestServer, useTestServer } from "../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  hashFor,
  OTHER_PASSWORD,
  PASSWORD,
  passwordSignIn,
  srpSignIn,
  unique,
} from "../integration/cognito/auth-fixtures.js";
import { lastCode, outbox } from "../integration/cognito/signup-helpers.js";
import { median, report } from "./helpers-concurrency.js";

const get = useTestServer();

const INVALID = { name: "NotAuthorizedException", message: "Invalid Access Token" };
const REVOKED = { name: "NotAuthorizedException", message: "Access Token has been revoked" };
const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const NO_USER = { name: "UserNotFoundException", message: "User does not exist." };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const getUser = (cognito: CognitoIdentityProviderClient, token: string) =>
  cognito.send(new GetUserCommand({ AccessToken: token }));

async function poolWithUser(cognito: CognitoIdentityProviderClient) {
  const poolId = await createPool(cognito);
  const { clientId } = await createClient(cognito, poolId);
  const username = unique("user");
  await createUser(cognito, poolId, username);
  return { poolId, clientId, username };
}

async function signIn(cognito: CognitoIdentityProviderClient, clientId: string, username: string) {
  return (await passwordSignIn(cognito, clientId, username)).AuthenticationResult as AuthenticationResultType;
}

describe("access tokens on GetUser", () => {
  it("refuses tampered, foreign-key, alg-none, HS256, other-pool and ID tokens with Cognito's error", async () => {
    const { cognito, server } = get();
    const a = await poolWithUser(cognito);
    const b = await poolWithUser(cognito);
    const tokens = await signIn(cognito, a.clientId, a.username);
    const access = tokens.AccessToken as string;
    const [header, payload, signature] = access.split(".") as [string, string, string];
    const claims = decodePayload(access);
    const keysA = await poolKeys(server.deps, a.poolId);
    const keysB = await poolKeys(server.deps, b.poolId);
    const hs256 = (() => {
      const head = b64url({ alg: "HS256", kid: keysA.access.kid });
      const body = b64url(claims);
      const mac = createHmac("sha256", "secret").update(`${head}.${body}`).digest("base64url");
      return `${head}.${body}.${mac}`;
    })();
    const cases: [string, string, { name: string; message: string }][] = [
      ["payload edited", `${header}.${b64url({ ...claims, username: b.username })}.${signature}`, INVALID],
      ["signature cut", `${header}.${payload}.`, INVALID],
      [
        "signature of the ID token",
        `${header}.${payload}.${(tokens.IdToken as string).split(".")[2]}`,
        INVALID,
      ],
      ["signed with another pool's access key", await signClaims(claims, keysB.access), INVALID],
      ["signed with the pool's own ID key", await signClaims(claims, keysA.id), INVALID],
      ["alg none", `${b64url({ alg: "none", kid: keysA.access.kid })}.${payload}.`, INVALID],
      ["alg HS256", hs256, INVALID],
      ["ID token", tokens.IdToken as string, INVALID],
      // Claims of pool A re-issued as pool B's (its real key): pool B has no such user.
      [
        "other pool",
        await signClaims(
          { ...claims, iss: claims.iss?.toString().replace(a.poolId, b.poolId) },
          keysB.access,
        ),
        NO_USER,
      ],
      ["garbage", "not.a.token", INVALID],
    ];
    const outcomes: Record<string, string> = {};
    for (const [label, token, expected] of cases) {
      const error = await errorOf(getUser(cognito, token));
      outcomes[label] = `${error.name}: ${error.message}`;
      expect(error, label).toEqual(expected);
    }
    // The real token still works, and pool B's token reaches pool B's user only.
    expect((await getUser(cognito, access)).Username).toBe(a.username);
    const tokenB = (await signIn(cognito, b.clientId, b.username)).AccessToken as string;
    expect((await getUser(cognito, tokenB)).Username).toBe(b.username);
    report("security-forged-tokens", { rejected: cases.length, outcomes });
  });

  it("refuses expired, signed-out, revoked, disabled-user and deleted-user tokens", async () => {
    const { cognito, clock } = get();
    const { poolId, clientId, username } = await poolWithUser(cognito);
    const outcomes: Record<string, string> = {};
    const check = async (label: string, token: string, expected: { name: string; message: string }) => {
      const error = await errorOf(getUser(cognito, token));
      outcomes[label] = `${error.name}: ${error.message}`;
      expect(error, label).toEqual(expected);
    };

    const expiring = await signIn(cognito, clientId, username);
    expect((await getUser(cognito, expiring.AccessToken as string)).Username).toBe(username);
    clock.advance(3600 * 1000);
    await check("expired", expiring.AccessToken as string, {
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });

    const revokedOne = await signIn(cognito, clientId, username);
    const kept = await signIn(cognito, clientId, username);
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: revokedOne.RefreshToken }));
    await check("RevokeToken", revokedOne.AccessToken as string, REVOKED);
    expect((await getUser(cognito, kept.AccessToken as string)).Username).toBe(username);

    await cognito.send(new GlobalSignOutCommand({ AccessToken: kept.AccessToken }));
    await check("GlobalSignOut", kept.AccessToken as string, REVOKED);

    const disabledUser = unique("disabled");
    await createUser(cognito, poolId, disabledUser);
    const disabled = await signIn(cognito, clientId, disabledUser);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabledUser }));
    await check("disabled user", disabled.AccessToken as string, {
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });

    const deletedUser = unique("deleted");
    await createUser(cognito, poolId, deletedUser);
    const deleted = await signIn(cognito, clientId, deletedUser);
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: deletedUser }));
    await check("deleted user", deleted.AccessToken as string, NO_USER);
    // Re-created under the same name, it is someone else: the old token does not reach the new user.
    await createUser(cognito, poolId, deletedUser);
    await check("deleted then re-created user", deleted.AccessToken as string, NO_USER);
    report("security-dead-tokens", { rejected: Object.keys(outcomes).length, outcomes });
  });
});

describe("brute force", () => {
  it("wrong passwords lock one user out ('Password attempts exceeded'), not the others", async () => {
    const { cognito } = get();
    const { poolId, clientId, username } = await poolWithUser(cognito);
    const bystander = unique("bystander");
    await createUser(cognito, poolId, bystander);
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      const error = await errorOf(passwordSignIn(cognito, clientId, username, OTHER_PASSWORD));
      const key = `${error.name}: ${error.message}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      // The first five are ordinary failures; from then on every attempt is refused by the lock.
      expect(error).toEqual(
        i < 5 ? INCORRECT : { name: "NotAuthorizedException", message: "Password attempts exceeded" },
      );
    }
    // Locked: even the right password is refused.
    expect(await errorOf(passwordSignIn(cognito, clientId, username))).toEqual({
      name: "NotAuthorizedException",
      message: "Password attempts exceeded",
    });
    // Per user: the bystander signs in at once.
    expect((await signIn(cognito, clientId, bystander)).AccessToken).toBeTruthy();
    report("security-password-lockout", { attempts: 20, outcomes, bystanderSignedIn: true });
  });

  it("wrong confirmation codes hit LimitExceededException, per user", async () => {
    const { cognito, url } = get();
    const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"] });
    const { clientId } = await createClient(cognito, poolId);
    const [victim, other] = [unique("victim"), unique("other")];
    for (const name of [victim, other])
      await cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: name,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: `${name}@example.com` }],
        }),
      );
    const code = await lastCode(url, poolId, victim);
    const wrongCode = code === "000000" ? "111111" : "000000";
    const confirm = (username: string, confirmationCode: string) =>
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: username,
          ConfirmationCode: confirmationCode,
        }),
      );
    const outcomes: Record<string, number> = {};
    let firstLimited = -1;
    for (let i = 0; i < 10; i++) {
      const error = await errorOf(confirm(victim, wrongCode));
      const key = `${error.name}: ${error.message}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (error.name === "LimitExceededException" && firstLimited < 0) firstLimited = i + 1;
    }
    // After the limit even the right code is refused.
    expect(await errorOf(confirm(victim, code))).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
    expect(firstLimited).toBeGreaterThan(0);
    expect(firstLimited).toBeLessThanOrEqual(10);
    // Per user: the other user's code still works.
    await confirm(other, await lastCode(url, poolId, other));
    report("security-code-attempt-limit", { attempts: 10, firstLimitedAttempt: firstLimited, outcomes });
  });
});

describe("user existence with PreventUserExistenceErrors ENABLED", () => {
  it("answers an unknown user and a known user's wrong password identically; prints the timing difference", async () => {
    const { cognito, clock } = get();
    const { poolId, username } = await poolWithUser(cognito);
    const { clientId } = await createClient(cognito, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const timed = async (name: string) => {
      const started = performance.now();
      const error = await errorOf(passwordSignIn(cognito, clientId, name, OTHER_PASSWORD));
      return { error, ms: performance.now() - started };
    };
    // Warm-up (connection, JIT) outside the measurement.
    await timed(username);
    await timed("nobody-warmup");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 30; i++) {
      // 15 idle minutes reset the lockout, so every known-user attempt is an ordinary wrong password.
      clock.advance(15 * 60_000);
      const k = await timed(username);
      const u = await timed(unique("nobody"));
      expect(k.error).toEqual(INCORRECT);
      expect(u.error).toEqual(k.error);
      known.push(k.ms);
      unknown.push(u.ms);
    }
    const medianKnown = median(known);
    const medianUnknown = median(unknown);
    report("security-user-existence-timing", {
      attempts: 30,
      medianKnownMs: Math.round(medianKnown * 100) / 100,
      medianUnknownMs: Math.round(medianUnknown * 100) / 100,
      medianDifferenceMs: Math.round((medianKnown - medianUnknown) * 100) / 100,
    });
    expect(medianKnown).toBeGreaterThan(0);
    expect(medianUnknown).toBeGreaterThan(0);
  });
});

/** Sign-up, confirmation, password and SRP sign-in, refresh, a wrong password and code, revocation. */
async function fullFlow(running: TestServer): Promise<Record<string, string>> {
  const { cognito, url, clock } = running;
  const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"] });
  const { clientId, clientSecret } = await createClient(cognito, poolId, { GenerateSecret: true });
  const secret = clientSecret as string;
  const username = unique("flow");
  const password = "S3cret-Flow-Pass!";
  const wrongPassword = "Wr0ng-Flow-Pass!";
  const hash = hashFor(secret, username, clientId);
  await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: password,
      SecretHash: hash,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
  const code = await lastCode(url, poolId, username);
  const confirm = (confirmationCode: string) =>
    cognito.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: username,
        ConfirmationCode: confirmationCode,
        SecretHash: hash,
      }),
    );
  await errorOf(confirm(code === "000000" ? "111111" : "000000"));
  await confirm(code);
  await errorOf(passwordSignIn(cognito, clientId, username, wrongPassword, { SECRET_HASH: hash }));
  const tokens = (await passwordSignIn(cognito, clientId, username, password, { SECRET_HASH: hash }))
    .AuthenticationResult as AuthenticationResultType;
  const srp = (await srpSignIn(cognito, { poolId, clientId, username, password, now: clock.now(), secret }))
    .AuthenticationResult as AuthenticationResultType;
  const refreshed = (
    await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string, SECRET_HASH: hash },
      }),
    )
  ).AuthenticationResult as AuthenticationResultType;
  await getUser(cognito, refreshed.AccessToken as string);
  await cognito.send(
    new RevokeTokenCommand({ ClientId: clientId, ClientSecret: secret, Token: tokens.RefreshToken }),
  );
  await errorOf(getUser(cognito, tokens.AccessToken as string));
  const secrets: Record<string, string> = {
    password,
    wrongPassword,
    code,
    clientSecret: secret,
    secretHash: hash,
  };
  for (const [name, set] of [
    ["password", tokens],
    ["srp", srp],
    ["refreshed", refreshed],
  ] as const) {
    secrets[`${name}.access`] = set.AccessToken as string;
    secrets[`${name}.id`] = set.IdToken as string;
    if (set.RefreshToken) secrets[`${name}.refresh`] = set.RefreshToken;
    // A signature alone is as good as the token to someone holding the rest.
    secrets[`${name}.access.signature`] = (set.AccessToken as string).split(".")[2] as string;
  }
  return secrets;
}

describe("secrets and the outbox", () => {
  it("never writes a password, code, token or client secret to the debug log", async () => {
    const lines: string[] = [];
    const running = await startTestServer({ logger: createLogger("debug", (line) => lines.push(line)) });
    try {
      const secrets = await fullFlow(running);
      const log = lines.join("");
      const leaked = Object.entries(secrets)
        .filter(([, value]) => value.length >= 6 && log.includes(value))
        .map(([name]) => name);
      report("security-secrets-in-logs", {
        logLines: lines.length,
        secretsChecked: Object.keys(secrets).length,
        leaked,
      });
      expect(lines.length).toBeGreaterThan(10);
      expect(leaked).toEqual([]);
    } finally {
      running.cognito.destroy();
      await running.server.close();
    }
  });

  it("records nothing with outbox: false (and the same flow does record with it on)", async () => {
    const counts: Record<string, number> = {};
    for (const enabled of [true, false]) {
      const running = await startTestServer({ outbox: enabled });
      try {
        const { cognito, url } = running;
        const poolId = await createPool(cognito, { AutoVerifiedAttributes: ["email"] });
        const { clientId } = await createClient(cognito, poolId);
        const username = unique("quiet");
        const out = await cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
          }),
        );
        // The message is still "sent": only the local record of it is off.
        expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
        await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: `${username}-invited`,
            DesiredDeliveryMediums: ["EMAIL"],
            UserAttributes: [{ Name: "email", Value: `${username}-invited@example.com` }],
          }),
        );
        counts[enabled ? "outboxOn" : "outboxOff"] =
          (await outbox(url, poolId, username)).length +
          (await outbox(url, poolId, `${username}-invited`)).length;
      } finally {
        running.cognito.destroy();
        await running.server.close();
      }
    }
    report("security-outbox-disabled", counts);
    expect(counts.outboxOn).toBe(2);
    expect(counts.outboxOff).toBe(0);
  });
});

describe("request limits", () => {
  const post = (url: string, action: string, body: string) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body,
    });

  it("answers an oversized body and deeply nested JSON with a clean error, and keeps serving", async () => {
    const { url, cognito } = get();
    const big = JSON.stringify({ ClientId: "x", Username: "u", Password: "p".repeat(2 * 1024 * 1024) });
    const tooBig = await post(url, "SignUp", big);
    const tooBigBody = (await tooBig.json()) as { __type: string; message: string };
    expect(tooBig.status).toBe(413);
    expect(tooBigBody.__type).toBe("SerializationException");

    let nested: unknown = "x";
    for (let i = 0; i < 200; i++) nested = { a: nested };
    const deep = await post(
      url,
      "SignUp",
      JSON.stringify({ ClientId: "x", Username: "u", Password: "p", ClientMetadata: nested }),
    );
    const deepBody = (await deep.json()) as { __type: string; message: string };
    expect(deep.status).toBe(400);
    expect(deepBody.__type).toBe("SerializationException");

    // 100 000 levels of arrays: a recursive parser or depth check would blow the stack.
    const bomb = await post(url, "SignUp", `{"ClientMetadata":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    const bombBody = (await bomb.json()) as { __type: string; message: string };
    expect(bomb.status).toBe(400);
    expect(bombBody.__type).toBe("SerializationException");

    // Still healthy: an ordinary call is answered.
    const { poolId } = await poolWithUser(cognito);
    expect(poolId).toMatch(/^us-east-1_/);
    report("security-request-limits", {
      oversizedBytes: big.length,
      oversized: `${tooBig.status} ${tooBigBody.__type}: ${tooBigBody.message}`,
      nestedLevels: 200,
      nested: `${deep.status} ${deepBody.__type}: ${deepBody.message}`,
      arrayBombLevels: 100_000,
      arrayBomb: `${bomb.status} ${bombBody.__type}: ${bombBody.message}`,
    });
  });
});
