// Tests for access-token verification: what passes, and which reason each failure gives.
import { CompactSign, importJWK, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { cryptoRandom } from "../../shared/random.js";
import type { SigningKeyRecord } from "../../store/model.js";
import { type Claims, type IssueTokensInput, issueTokens, signClaims } from "./issue.js";
import { generateSigningKey, type PublicJwk, publicJwkOf } from "./keys.js";
import { verifyAccessToken } from "./verify.js";

const POOL = "us-east-1_Example1";
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const IAT = NOW / 1000;

let id: SigningKeyRecord;
let access: SigningKeyRecord;
let otherPool: SigningKeyRecord;
let accessJwk: PublicJwk;

beforeAll(async () => {
  [id, access, otherPool] = await Promise.all([
    generateSigningKey(cryptoRandom, "id", POOL, NOW),
    generateSigningKey(cryptoRandom, "access", POOL, NOW),
    generateSigningKey(cryptoRandom, "access", "us-east-1_Other", NOW),
  ]);
  accessJwk = publicJwkOf(access);
});

function input(overrides: Partial<IssueTokensInput> = {}): IssueTokensInput {
  return {
    pool: { id: POOL, issuer: ISSUER },
    client: { id: "client1", accessValiditySeconds: 3600, idValiditySeconds: 3600 },
    user: { username: "alice", sub: "sub-1", attributes: { email: "a@example.com" } },
    groups: [{ name: "admins" }],
    authTime: IAT,
    originJti: "origin-1",
    eventId: "event-1",
    now: NOW,
    keys: { id, access },
    random: cryptoRandom,
    ...overrides,
  };
}

const options = (now = NOW) => ({ keys: accessJwk, issuer: ISSUER, now });

function accessClaims(overrides: Claims = {}): Claims {
  return {
    sub: "sub-1",
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    iss: ISSUER,
    exp: IAT + 60,
    iat: IAT,
    jti: "j",
    origin_jti: "origin-1",
    client_id: "client1",
    username: "alice",
    ...overrides,
  };
}

describe("verifyAccessToken", () => {
  it("accepts a fresh access token and returns its claims", async () => {
    const { accessToken } = await issueTokens(input());
    const result = await verifyAccessToken(accessToken, options());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims.username).toBe("alice");
    expect(result.claims.client_id).toBe("client1");
    expect(result.claims.origin_jti).toBe("origin-1");
    expect(result.claims["cognito:groups"]).toEqual(["admins"]);
  });

  it("takes one key or several", async () => {
    const { accessToken } = await issueTokens(input());
    const result = await verifyAccessToken(accessToken, {
      ...options(),
      keys: [publicJwkOf(otherPool), accessJwk],
    });
    expect(result.ok).toBe(true);
  });

  it("calls an ID token invalid", async () => {
    const { idToken } = await issueTokens(input());
    expect(await verifyAccessToken(idToken, options())).toEqual({ ok: false, reason: "invalid" });
    // Even when the caller wrongly passes the ID key too, token_use still rules it out.
    const both = { ...options(), keys: [accessJwk, publicJwkOf(id)] };
    expect(await verifyAccessToken(idToken, both)).toEqual({ ok: false, reason: "invalid" });
  });

  it("calls a token of another token_use invalid even when signed with the access key", async () => {
    for (const tokenUse of ["id", undefined, "refresh"]) {
      const token = await signClaims(accessClaims({ token_use: tokenUse }), access);
      expect(await verifyAccessToken(token, options())).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("is expired from the second of exp on", async () => {
    const { accessToken } = await issueTokens(input());
    const exp = IAT + 3600;
    expect((await verifyAccessToken(accessToken, options(exp * 1000 - 1))).ok).toBe(true);
    expect(await verifyAccessToken(accessToken, options(exp * 1000))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await verifyAccessToken(accessToken, options(exp * 1000 + 86_400_000))).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("calls another pool's token invalid, by key and by issuer", async () => {
    const foreign = await issueTokens(input({ keys: { id, access: otherPool } }));
    expect(await verifyAccessToken(foreign.accessToken, options())).toEqual({ ok: false, reason: "invalid" });
    const { accessToken } = await issueTokens(input());
    expect(await verifyAccessToken(accessToken, { ...options(), issuer: `${ISSUER}x` })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("checks the signature, not just the kid", async () => {
    const { accessToken } = await issueTokens(input());
    const [header, payload, signature] = accessToken.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString()) as Claims;
    forged.username = "root";
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
    expect(await verifyAccessToken(tampered, options())).toEqual({ ok: false, reason: "invalid" });
    const impostor = await signClaims(accessClaims(), { ...otherPool, kid: access.kid });
    expect(await verifyAccessToken(impostor, options())).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports a token without the admin scope as such", async () => {
    const noScope = await signClaims(accessClaims({ scope: "openid email" }), access);
    expect(await verifyAccessToken(noScope, options())).toEqual({ ok: false, reason: "scope" });
    const absent = await signClaims(accessClaims({ scope: undefined }), access);
    expect(await verifyAccessToken(absent, options())).toEqual({ ok: false, reason: "scope" });
    const among = await signClaims(accessClaims({ scope: "openid aws.cognito.signin.user.admin" }), access);
    expect((await verifyAccessToken(among, options())).ok).toBe(true);
    const prefix = await signClaims(accessClaims({ scope: "aws.cognito.signin.user.admin.x" }), access);
    expect(await verifyAccessToken(prefix, options())).toEqual({ ok: false, reason: "scope" });
  });

  it("reports expiry before scope", async () => {
    const old = await signClaims(accessClaims({ scope: "openid", exp: IAT - 1 }), access);
    expect(await verifyAccessToken(old, options())).toEqual({ ok: false, reason: "expired" });
  });

  it.each([
    ["without sub", { sub: undefined }],
    ["without username", { username: 5 }],
    ["without client_id", { client_id: undefined }],
    ["without exp", { exp: undefined }],
    ["with a string exp", { exp: String(IAT + 60) }],
  ])("calls a token %s invalid", async (_name, overrides) => {
    const token = await signClaims(accessClaims(overrides), access);
    expect(await verifyAccessToken(token, options())).toEqual({ ok: false, reason: "invalid" });
  });

  it("calls a token signed with another algorithm invalid", async () => {
    const hmacKey = new TextEncoder().encode("k".repeat(32));
    const hs256 = await new CompactSign(new TextEncoder().encode(JSON.stringify(accessClaims())))
      .setProtectedHeader({ kid: access.kid, alg: "HS256" })
      .sign(hmacKey);
    expect(await verifyAccessToken(hs256, options())).toEqual({ ok: false, reason: "invalid" });
    const key = await importJWK({ ...(JSON.parse(access.privateJwk) as JWK), alg: "PS256" }, "PS256");
    const ps256 = await new CompactSign(new TextEncoder().encode(JSON.stringify(accessClaims())))
      .setProtectedHeader({ kid: access.kid, alg: "PS256" })
      .sign(key);
    expect(await verifyAccessToken(ps256, options())).toEqual({ ok: false, reason: "invalid" });
    const none = `${Buffer.from(JSON.stringify({ kid: access.kid, alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify(accessClaims())).toString("base64url")}.`;
    expect(await verifyAccessToken(none, options())).toEqual({ ok: false, reason: "invalid" });
  });

  it.each(["", "abc", "a.b.c", "a.b.c.d.e", "eyJ9.eyJ9.sig"])("calls %j invalid", async (token) => {
    expect(await verifyAccessToken(token, options())).toEqual({ ok: false, reason: "invalid" });
  });

  it("calls a signed non-object payload invalid", async () => {
    const key = await importJWK(JSON.parse(access.privateJwk) as JWK, "RS256");
    const token = await new CompactSign(new TextEncoder().encode("[1,2]"))
      .setProtectedHeader({ kid: access.kid, alg: "RS256" })
      .sign(key);
    expect(await verifyAccessToken(token, options())).toEqual({ ok: false, reason: "invalid" });
  });
});
