// Tokens of API sign-in: claims checked with aws-jwt-verify, refresh, expiry, and revocation (sign-out, RevokeToken).
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  CreateGroupCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";
import {
  createClient,
  createPool,
  createUser,
  decodePayload,
  hashFor,
  PASSWORD,
  passwordSignIn,
  unique,
} from "./auth-fixtures.js";

const get = useTestServer();

async function setup(
  clientInput: Parameters<typeof createClient>[2] = {},
  poolInput: Parameters<typeof createPool>[1] = {},
) {
  const { cognito, clock, url } = get();
  const poolId = await createPool(cognito, poolInput);
  const { clientId, clientSecret } = await createClient(cognito, poolId, clientInput);
  const username = unique("user");
  await createUser(cognito, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Rita" },
    ],
  });
  return { cognito, clock, url, poolId, clientId, clientSecret, username };
}

const signIn = async (cognito: ReturnType<typeof get>["cognito"], clientId: string, username: string) =>
  (await passwordSignIn(cognito, clientId, username)).AuthenticationResult as AuthenticationResultType;

const refresh = (clientId: string, token: string, extra: Record<string, string> = {}) =>
  new InitiateAuthCommand({
    ClientId: clientId,
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: token, ...extra },
  });

const jwksOf = async (url: string, poolId: string) =>
  (await (await fetch(`${url}/${poolId}/.well-known/jwks.json`)).json()) as Jwks;

const getUser = (token: string) => new GetUserCommand({ AccessToken: token });

describe("tokens", () => {
  it("verify with aws-jwt-verify against the pool's JWKS, claim by claim", async () => {
    const { cognito, clock, url, poolId, clientId, username } = await setup();
    // aws-jwt-verify checks exp against the real clock.
    clock.ms = Math.floor(Date.now() / 1000) * 1000;
    await cognito.send(
      new CreateGroupCommand({
        UserPoolId: poolId,
        GroupName: "admins",
        Precedence: 1,
        RoleArn: "arn:aws:iam::000000000000:role/Admin",
      }),
    );
    await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "readers", Precedence: 5 }));
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: "readers" }),
    );
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: "admins" }),
    );
    const result = await signIn(cognito, clientId, username);
    const jwks = await jwksOf(url, poolId);

    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    accessVerifier.cacheJwks(jwks);
    const access = await accessVerifier.verify(result.AccessToken as string);
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId });
    idVerifier.cacheJwks(jwks);
    const id = await idVerifier.verify(result.IdToken as string);

    const now = Math.floor(clock.now() / 1000);
    const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
    expect(access.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(access).toMatchObject({
      iss: issuer,
      client_id: clientId,
      username,
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      auth_time: now,
      iat: now,
      exp: now + 3600,
      "cognito:groups": ["admins", "readers"],
    });
    expect(access.aud).toBeUndefined();
    expect(access["cognito:roles"]).toBeUndefined();
    expect(id).toMatchObject({
      sub: access.sub,
      iss: issuer,
      aud: clientId,
      token_use: "id",
      "cognito:username": username,
      email: `${username}@example.com`,
      email_verified: true,
      name: "Rita",
      auth_time: now,
      exp: now + 3600,
      "cognito:groups": ["admins", "readers"],
      "cognito:roles": ["arn:aws:iam::000000000000:role/Admin"],
      "cognito:preferred_role": "arn:aws:iam::000000000000:role/Admin",
    });
    expect(id.client_id).toBeUndefined();
    expect(id.event_id).toBe(access.event_id);
    expect(id.origin_jti).toBe(access.origin_jti);
    expect(id.jti).not.toBe(access.jti);
    for (const claims of [id, access])
      for (const name of ["jti", "origin_jti", "event_id"]) expect(claims[name]).toMatch(/^[0-9a-f-]{36}$/);
    // Two keys: the ID and access tokens are signed by different ones.
    const kid = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split(".")[0] as string, "base64url").toString()).kid;
    expect(kid(result.IdToken as string)).not.toBe(kid(result.AccessToken as string));
    expect(
      JSON.parse(Buffer.from((result.AccessToken as string).split(".")[0] as string, "base64url").toString()),
    ).toEqual({
      kid: kid(result.AccessToken as string),
      alg: "RS256",
    });
  });

  it("omit cognito:groups for a user in no group and keep ReadAttributes to what the client may read", async () => {
    const { cognito, poolId, username } = await setup();
    const { clientId } = await createClient(cognito, poolId, { ReadAttributes: ["email"] });
    const result = await signIn(cognito, clientId, username);
    const id = decodePayload(result.IdToken as string);
    expect(id["cognito:groups"]).toBeUndefined();
    expect(decodePayload(result.AccessToken as string)["cognito:groups"]).toBeUndefined();
    expect(id.email).toBe(`${username}@example.com`);
    expect(id.name).toBeUndefined();
  });

  it("last as long as the client says (TokenValidityUnits)", async () => {
    const { cognito, poolId, username } = await setup();
    const { clientId } = await createClient(cognito, poolId, {
      AccessTokenValidity: 5,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "hours" },
    });
    const result = await signIn(cognito, clientId, username);
    expect(result.ExpiresIn).toBe(300);
    const access = decodePayload(result.AccessToken as string);
    const id = decodePayload(result.IdToken as string);
    expect((access.exp as number) - (access.iat as number)).toBe(300);
    expect((id.exp as number) - (id.iat as number)).toBe(7200);
  });
});

describe("REFRESH_TOKEN_AUTH", () => {
  it("mints new ID and access tokens of the same family, without a new refresh token", async () => {
    const { cognito, clock, clientId, username } = await setup();
    const first = await signIn(cognito, clientId, username);
    clock.advance(10 * 60_000);
    const out = await cognito.send(refresh(clientId, first.RefreshToken as string));
    expect(out.ChallengeParameters).toEqual({});
    const again = out.AuthenticationResult as AuthenticationResultType;
    expect(again.RefreshToken).toBeUndefined();
    expect(again.TokenType).toBe("Bearer");
    expect(again.ExpiresIn).toBe(3600);
    const [before, after] = [
      decodePayload(first.AccessToken as string),
      decodePayload(again.AccessToken as string),
    ];
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBe((before.iat as number) + 600);
    expect(after.jti).not.toBe(before.jti);
    expect(decodePayload(again.IdToken as string).origin_jti).toBe(before.origin_jti);
    // REFRESH_TOKEN is the same flow.
    const legacy = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN",
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken as string },
      }),
    );
    expect(legacy.AuthenticationResult?.AccessToken).toBeTruthy();
    const admin = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: (before.iss as string).split("/").pop() as string,
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken as string },
      }),
    );
    expect(admin.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("refuses garbage, another client's token, and expired tokens", async () => {
    const { cognito, clock, poolId, clientId, username } = await setup();
    const first = await signIn(cognito, clientId, username);
    expect(await errorOf(cognito.send(refresh(clientId, "eyJjdHkiOiJKV1QifQ.a.b.c.d")))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token",
    });
    const other = await createClient(cognito, poolId);
    expect(await errorOf(cognito.send(refresh(other.clientId, first.RefreshToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token",
    });
    expect(
      await errorOf(
        cognito.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: {} }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Missing required parameter REFRESH_TOKEN",
    });
    clock.advance(30 * 86_400_000);
    expect(await errorOf(cognito.send(refresh(clientId, first.RefreshToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Refresh Token has expired",
    });
  });

  it("stops for a disabled user", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const first = await signIn(cognito, clientId, username);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    expect(await errorOf(cognito.send(refresh(clientId, first.RefreshToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "User is disabled.",
    });
  });

  it("needs SECRET_HASH over the internal username on a secret client", async () => {
    const { cognito } = get();
    const emailPool = await createPool(cognito, { UsernameAttributes: ["email"] });
    const emailClient = await createClient(cognito, emailPool, { GenerateSecret: true });
    const internal = await createUser(cognito, emailPool, "sam@example.com");
    const tokens = (
      await passwordSignIn(cognito, emailClient.clientId, "sam@example.com", PASSWORD, {
        SECRET_HASH: hashFor(emailClient.clientSecret as string, "sam@example.com", emailClient.clientId),
      })
    ).AuthenticationResult as AuthenticationResultType;
    const token = tokens.RefreshToken as string;
    expect(await errorOf(cognito.send(refresh(emailClient.clientId, token)))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${emailClient.clientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect(
      await errorOf(
        cognito.send(
          refresh(emailClient.clientId, token, {
            SECRET_HASH: hashFor(emailClient.clientSecret as string, "sam@example.com", emailClient.clientId),
          }),
        ),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${emailClient.clientId}`,
    });
    const ok = await cognito.send(
      refresh(emailClient.clientId, token, {
        SECRET_HASH: hashFor(emailClient.clientSecret as string, internal, emailClient.clientId),
      }),
    );
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("access tokens on Cognito's own APIs", () => {
  it("are refused when malformed, forged, an ID token, or expired", async () => {
    const { cognito, clock, clientId, username } = await setup();
    const tokens = await signIn(cognito, clientId, username);
    const invalid = { name: "NotAuthorizedException", message: "Invalid Access Token" };
    expect(await errorOf(cognito.send(getUser("not.a.token")))).toEqual(invalid);
    expect(await errorOf(cognito.send(getUser(tokens.IdToken as string)))).toEqual(invalid);
    const [header, payload] = (tokens.AccessToken as string).split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...decodePayload(tokens.AccessToken as string), username: "admin" }),
    ).toString("base64url");
    const signature = (tokens.IdToken as string).split(".")[2];
    expect(await errorOf(cognito.send(getUser(`${header}.${forgedPayload}.${signature}`)))).toEqual(invalid);
    expect(await errorOf(cognito.send(getUser(`${header}.${payload}.${signature}`)))).toEqual(invalid);
    expect((await cognito.send(getUser(tokens.AccessToken as string))).Username).toBe(username);
    clock.advance(3600 * 1000);
    expect(await errorOf(cognito.send(getUser(tokens.AccessToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });
});

describe("sign-out and revocation", () => {
  it("GlobalSignOut revokes every token of the user, and only on Cognito's APIs", async () => {
    const { cognito, clock, url, poolId, clientId, username } = await setup();
    clock.ms = Math.floor(Date.now() / 1000) * 1000;
    const one = await signIn(cognito, clientId, username);
    const two = await signIn(cognito, clientId, username);
    await cognito.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken }));
    const revoked = { name: "NotAuthorizedException", message: "Access Token has been revoked" };
    expect(await errorOf(cognito.send(getUser(one.AccessToken as string)))).toEqual(revoked);
    expect(await errorOf(cognito.send(getUser(two.AccessToken as string)))).toEqual(revoked);
    expect(await errorOf(cognito.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken })))).toEqual(
      revoked,
    );
    expect(await errorOf(cognito.send(refresh(clientId, two.RefreshToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Refresh Token has been revoked",
    });
    // The JWTs themselves stay valid to anyone who only checks signatures and expiry.
    const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId });
    verifier.cacheJwks(await jwksOf(url, poolId));
    expect((await verifier.verify(one.AccessToken as string)).username).toBe(username);
    // A new sign-in is a new family.
    const three = await signIn(cognito, clientId, username);
    expect((await cognito.send(getUser(three.AccessToken as string))).Username).toBe(username);
  });

  it("AdminUserGlobalSignOut does the same for an administrator", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const tokens = await signIn(cognito, clientId, username);
    expect(
      await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username })),
    ).toMatchObject({});
    expect(await errorOf(cognito.send(getUser(tokens.AccessToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    expect(
      await errorOf(
        cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: "nobody" })),
      ),
    ).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });

  it("RevokeToken revokes one refresh token and the access tokens minted from it", async () => {
    const { cognito, clientId, username } = await setup();
    const one = await signIn(cognito, clientId, username);
    const two = await signIn(cognito, clientId, username);
    const refreshed = (await cognito.send(refresh(clientId, one.RefreshToken as string)))
      .AuthenticationResult as AuthenticationResultType;
    expect(
      await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: one.RefreshToken })),
    ).toMatchObject({});
    const revoked = { name: "NotAuthorizedException", message: "Access Token has been revoked" };
    expect(await errorOf(cognito.send(getUser(one.AccessToken as string)))).toEqual(revoked);
    expect(await errorOf(cognito.send(getUser(refreshed.AccessToken as string)))).toEqual(revoked);
    expect(await errorOf(cognito.send(refresh(clientId, one.RefreshToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Refresh Token has been revoked",
    });
    expect((await cognito.send(getUser(two.AccessToken as string))).Username).toBe(username);
    // Revoking again, or revoking something that is no refresh token of ours, is no error (RFC 7009).
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: one.RefreshToken }));
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: "eyJjdHkiOiJKV1QifQ.a.b.c.d" }));
  });

  it("RevokeToken refuses access tokens, wrong secrets, other clients' tokens, and clients without revocation", async () => {
    const { cognito, poolId, clientId, username } = await setup();
    const tokens = await signIn(cognito, clientId, username);
    expect(
      await errorOf(cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.AccessToken }))),
    ).toMatchObject({
      name: "UnsupportedTokenTypeException",
    });
    const other = await createClient(cognito, poolId);
    expect(
      await errorOf(
        cognito.send(new RevokeTokenCommand({ ClientId: other.clientId, Token: tokens.RefreshToken })),
      ),
    ).toMatchObject({
      name: "UnauthorizedException",
    });
    const secretClient = await createClient(cognito, poolId, { GenerateSecret: true });
    const secretTokens = await signIn(cognito, clientId, username);
    expect(
      await errorOf(
        cognito.send(
          new RevokeTokenCommand({ ClientId: secretClient.clientId, Token: secretTokens.RefreshToken }),
        ),
      ),
    ).toMatchObject({ name: "UnauthorizedException" });
    expect(
      await errorOf(
        cognito.send(
          new RevokeTokenCommand({
            ClientId: secretClient.clientId,
            ClientSecret: "wrongsecret",
            Token: secretTokens.RefreshToken,
          }),
        ),
      ),
    ).toMatchObject({ name: "UnauthorizedException" });
    const ownTokens = (
      await passwordSignIn(cognito, secretClient.clientId, username, PASSWORD, {
        SECRET_HASH: hashFor(secretClient.clientSecret as string, username, secretClient.clientId),
      })
    ).AuthenticationResult as AuthenticationResultType;
    await cognito.send(
      new RevokeTokenCommand({
        ClientId: secretClient.clientId,
        ClientSecret: secretClient.clientSecret,
        Token: ownTokens.RefreshToken,
      }),
    );
    expect(await errorOf(cognito.send(getUser(ownTokens.AccessToken as string)))).toEqual({
      name: "NotAuthorizedException",
      message: "Access Token has been revoked",
    });
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        EnableTokenRevocation: false,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    expect(
      await errorOf(cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken }))),
    ).toMatchObject({
      name: "UnsupportedOperationException",
    });
  });
});
