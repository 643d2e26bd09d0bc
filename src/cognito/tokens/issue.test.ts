// Tests for issued tokens: headers, every claim, signatures checked independently, and refresh JWEs.
import { createHash } from "node:crypto";
import {
  CompactEncrypt,
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  importJWK,
  type JWK,
  jwtVerify,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import { cryptoRandom } from "../../shared/random.js";
import type { SigningKeyRecord } from "../../store/model.js";
import {
  type IssueTokensInput,
  issueRefreshToken,
  issueTokens,
  orderGroups,
  preferredRole,
  readRefreshToken,
} from "./issue.js";
import { generateSigningKey, jwks } from "./keys.js";

const POOL = "us-east-1_Example1";
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const CLIENT = "5hu48rd3mbfvr3t6d6r2rchapm";
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0, 750);
const IAT = Math.floor(NOW / 1000);
const SUB = "7d6c2a40-0b6e-4b55-9a6e-0f2a0a7c3e11";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function seededRandom(seed: string): Random {
  let counter = 0;
  const bytes = (n: number): Buffer => {
    const chunks: Buffer[] = [];
    for (let have = 0; have < n; have += 32)
      chunks.push(createHash("sha256").update(`${seed}/${counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, n);
  };
  const uuid = (): string => {
    const b = bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { bytes, int: (max) => bytes(4).readUInt32BE(0) % max, uuid };
}

let keys: {
  id: SigningKeyRecord;
  access: SigningKeyRecord;
  refresh: SigningKeyRecord;
  other: SigningKeyRecord;
};

beforeAll(async () => {
  const [id, access, refresh, other] = await Promise.all([
    generateSigningKey(cryptoRandom, "id", POOL, NOW),
    generateSigningKey(cryptoRandom, "access", POOL, NOW),
    generateSigningKey(cryptoRandom, "refresh", POOL, NOW),
    generateSigningKey(cryptoRandom, "refresh", POOL, NOW),
  ]);
  keys = { id, access, refresh, other };
});

function input(overrides: Partial<IssueTokensInput> = {}): IssueTokensInput {
  return {
    pool: { id: POOL, issuer: ISSUER },
    client: { id: CLIENT, accessValiditySeconds: 3600, idValiditySeconds: 1800 },
    user: {
      username: "alice",
      sub: SUB,
      attributes: {
        email: "alice@example.com",
        email_verified: "true",
        phone_number: "+15555550100",
        phone_number_verified: "false",
        name: "Alice",
        updated_at: "1700000000",
        address: '{"formatted":"1 Main St"}',
        "custom:tier": "7",
        "custom:flag": "true",
        "dev:custom:secret": "hidden",
        nickname: "",
      },
    },
    groups: [],
    authTime: IAT - 100,
    originJti: "0f8fad5b-d9cb-469f-a165-70867728950e",
    eventId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    now: NOW,
    keys: { id: keys.id, access: keys.access },
    random: seededRandom("jti"),
    ...overrides,
  };
}

const rawHeader = (token: string): string => Buffer.from(token.split(".")[0]!, "base64url").toString("utf8");

/** Verifies with jose against the pool's JWKS, independently of verify.ts. */
async function verifyWithJwks(token: string) {
  const set = createLocalJWKSet(jwks([keys.id, keys.access]));
  return jwtVerify(token, set, { issuer: ISSUER, algorithms: ["RS256"], currentDate: new Date(NOW) });
}

describe("issueTokens", () => {
  it("signs with Cognito's header: kid then alg RS256, no typ", async () => {
    const { idToken, accessToken } = await issueTokens(input());
    expect(rawHeader(idToken)).toBe(`{"kid":"${keys.id.kid}","alg":"RS256"}`);
    expect(rawHeader(accessToken)).toBe(`{"kid":"${keys.access.kid}","alg":"RS256"}`);
  });

  it("signs the ID token with the ID key and the access token with the access key", async () => {
    const { idToken, accessToken } = await issueTokens(input());
    const idKey = await importJWK(JSON.parse(keys.id.publicJwk) as JWK, "RS256");
    const accessKey = await importJWK(JSON.parse(keys.access.publicJwk) as JWK, "RS256");
    await expect(compactVerify(idToken, idKey)).resolves.toBeTruthy();
    await expect(compactVerify(accessToken, accessKey)).resolves.toBeTruthy();
    await expect(compactVerify(idToken, accessKey)).rejects.toThrow("signature verification failed");
    await expect(compactVerify(accessToken, idKey)).rejects.toThrow("signature verification failed");
  });

  it("verifies against the pool's JWKS with the issuer", async () => {
    const { idToken, accessToken } = await issueTokens(input());
    expect((await verifyWithJwks(idToken)).payload.token_use).toBe("id");
    expect((await verifyWithJwks(accessToken)).payload.token_use).toBe("access");
  });

  it("returns the access token's lifetime as expiresIn", async () => {
    expect((await issueTokens(input())).expiresIn).toBe(3600);
  });

  it("puts exactly Cognito's claims in the ID token", async () => {
    const claims = decodeJwt((await issueTokens(input())).idToken);
    expect(Object.keys(claims).sort()).toEqual(
      [
        "address",
        "aud",
        "auth_time",
        "cognito:username",
        "custom:flag",
        "custom:tier",
        "email",
        "email_verified",
        "event_id",
        "exp",
        "iat",
        "iss",
        "jti",
        "name",
        "origin_jti",
        "phone_number",
        "phone_number_verified",
        "sub",
        "token_use",
        "updated_at",
      ].sort(),
    );
    expect(claims.sub).toBe(SUB);
    expect(claims.aud).toBe(CLIENT);
    expect(claims.token_use).toBe("id");
    expect(claims.iss).toBe(ISSUER);
    expect(claims["cognito:username"]).toBe("alice");
    expect(claims.auth_time).toBe(IAT - 100);
    expect(claims.iat).toBe(IAT);
    expect(claims.exp).toBe(IAT + 1800);
    expect(claims.event_id).toBe("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    expect(claims.origin_jti).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(claims.jti).toMatch(UUID);
  });

  it("types attribute claims: booleans, a number, an object, strings for custom attributes", async () => {
    const claims = decodeJwt((await issueTokens(input())).idToken);
    expect(claims.email_verified).toBe(true);
    expect(claims.phone_number_verified).toBe(false);
    expect(claims.updated_at).toBe(1700000000);
    expect(claims.address).toEqual({ formatted: "1 Main St" });
    expect(claims["custom:tier"]).toBe("7");
    expect(claims["custom:flag"]).toBe("true");
    expect(claims.email).toBe("alice@example.com");
    expect(claims.phone_number).toBe("+15555550100");
    expect(claims.name).toBe("Alice");
  });

  it("keeps a non-JSON address and a non-numeric updated_at as strings", async () => {
    const user = { username: "bob", sub: SUB, attributes: { address: "1 Main St", updated_at: "soon" } };
    const claims = decodeJwt((await issueTokens(input({ user }))).idToken);
    expect(claims.address).toBe("1 Main St");
    expect(claims.updated_at).toBe("soon");
  });

  it("parses identities as an array", async () => {
    const identities = '[{"providerName":"Google","userId":"1"}]';
    const user = { username: "g_1", sub: SUB, attributes: { identities } };
    const claims = decodeJwt((await issueTokens(input({ user }))).idToken);
    expect(claims.identities).toEqual([{ providerName: "Google", userId: "1" }]);
  });

  it("leaves out developer-only and empty attributes", async () => {
    const claims = decodeJwt((await issueTokens(input())).idToken);
    expect(claims).not.toHaveProperty("dev:custom:secret");
    expect(claims).not.toHaveProperty("nickname");
  });

  it("never lets attributes overwrite protected claims", async () => {
    const user = {
      username: "mallory",
      sub: SUB,
      attributes: { sub: "other", iss: "https://evil", "cognito:username": "root", token_use: "access" },
    };
    const claims = decodeJwt((await issueTokens(input({ user }))).idToken);
    expect(claims.sub).toBe(SUB);
    expect(claims.iss).toBe(ISSUER);
    expect(claims["cognito:username"]).toBe("mallory");
    expect(claims.token_use).toBe("id");
  });

  it("shows only the client's read attributes, and always sub", async () => {
    const claims = decodeJwt(
      (await issueTokens(input({ readAttributes: ["email", "custom:tier", "zoneinfo"] }))).idToken,
    );
    expect(claims.email).toBe("alice@example.com");
    expect(claims["custom:tier"]).toBe("7");
    expect(claims).not.toHaveProperty("email_verified");
    expect(claims).not.toHaveProperty("name");
    expect(claims).not.toHaveProperty("zoneinfo");
    expect(claims.sub).toBe(SUB);
    expect(claims["cognito:username"]).toBe("alice");
  });

  it("shows every attribute when ReadAttributes is empty", async () => {
    const all = decodeJwt((await issueTokens(input())).idToken);
    const empty = decodeJwt((await issueTokens(input({ readAttributes: [] }))).idToken);
    expect(Object.keys(empty).sort()).toEqual(Object.keys(all).sort());
  });

  it("puts exactly Cognito's claims in the access token", async () => {
    const claims = decodeJwt((await issueTokens(input())).accessToken);
    expect(Object.keys(claims)).toEqual([
      "sub",
      "event_id",
      "token_use",
      "scope",
      "auth_time",
      "iss",
      "exp",
      "iat",
      "jti",
      "origin_jti",
      "client_id",
      "username",
    ]);
    expect(claims).toEqual({
      sub: SUB,
      event_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      auth_time: IAT - 100,
      iss: ISSUER,
      exp: IAT + 3600,
      iat: IAT,
      jti: claims.jti,
      origin_jti: "0f8fad5b-d9cb-469f-a165-70867728950e",
      client_id: CLIENT,
      username: "alice",
    });
    expect(claims.jti).toMatch(UUID);
  });

  it("gives each token its own jti from the Random port, and both the same event_id", async () => {
    const { idToken, accessToken } = await issueTokens(input());
    const id = decodeJwt(idToken);
    const access = decodeJwt(accessToken);
    expect(id.jti).not.toBe(access.jti);
    expect(id.event_id).toBe(access.event_id);
    const again = await issueTokens(input());
    expect(decodeJwt(again.idToken).jti).toBe(id.jti);
    const other = await issueTokens(input({ random: seededRandom("other") }));
    expect(decodeJwt(other.idToken).jti).not.toBe(id.jti);
  });
});

describe("groups in tokens", () => {
  const groups = [
    { name: "zeta", precedence: 1, roleArn: "arn:aws:iam::123456789012:role/Zeta" },
    { name: "alpha", precedence: 5 },
    { name: "beta", roleArn: "arn:aws:iam::123456789012:role/Beta" },
    { name: "admins", precedence: 1 },
  ];

  it("omits group claims for a user in no group", async () => {
    const { idToken, accessToken } = await issueTokens(input());
    for (const token of [idToken, accessToken]) {
      const claims = decodeJwt(token);
      expect(claims).not.toHaveProperty("cognito:groups");
      expect(claims).not.toHaveProperty("cognito:roles");
      expect(claims).not.toHaveProperty("cognito:preferred_role");
    }
  });

  it("lists groups by precedence then name in both tokens; roles only in the ID token", async () => {
    const { idToken, accessToken } = await issueTokens(input({ groups }));
    const id = decodeJwt(idToken);
    const access = decodeJwt(accessToken);
    expect(id["cognito:groups"]).toEqual(["admins", "zeta", "alpha", "beta"]);
    expect(access["cognito:groups"]).toEqual(["admins", "zeta", "alpha", "beta"]);
    expect(id["cognito:roles"]).toEqual([
      "arn:aws:iam::123456789012:role/Zeta",
      "arn:aws:iam::123456789012:role/Beta",
    ]);
    expect(id["cognito:preferred_role"]).toBe("arn:aws:iam::123456789012:role/Zeta");
    expect(access).not.toHaveProperty("cognito:roles");
    expect(access).not.toHaveProperty("cognito:preferred_role");
  });

  it("has groups but no role claims when no group has a role", async () => {
    const claims = decodeJwt((await issueTokens(input({ groups: [{ name: "g", precedence: 0 }] }))).idToken);
    expect(claims["cognito:groups"]).toEqual(["g"]);
    expect(claims).not.toHaveProperty("cognito:roles");
    expect(claims).not.toHaveProperty("cognito:preferred_role");
  });

  it("orders groups and picks the preferred role", () => {
    expect(orderGroups(groups).map((g) => g.name)).toEqual(["admins", "zeta", "alpha", "beta"]);
    expect(preferredRole(groups)).toBe("arn:aws:iam::123456789012:role/Zeta");
    expect(preferredRole([{ name: "a" }])).toBeUndefined();
    // A role without precedence loses to any precedence.
    expect(
      preferredRole([
        { name: "a", roleArn: "r1" },
        { name: "b", roleArn: "r2", precedence: 9 },
      ]),
    ).toBe("r2");
  });

  it("has no preferred role when the best precedence ties between different roles", async () => {
    const tied = [
      { name: "a", precedence: 2, roleArn: "arn:r1" },
      { name: "b", precedence: 2, roleArn: "arn:r2" },
      { name: "c", precedence: 3, roleArn: "arn:r3" },
    ];
    const claims = decodeJwt((await issueTokens(input({ groups: tied }))).idToken);
    expect(claims["cognito:roles"]).toEqual(["arn:r1", "arn:r2", "arn:r3"]);
    expect(claims).not.toHaveProperty("cognito:preferred_role");
    expect(preferredRole([...tied.slice(0, 1), { name: "d", precedence: 2, roleArn: "arn:r1" }])).toBe(
      "arn:r1",
    );
  });
});

describe("refresh tokens", () => {
  const content = {
    originJti: "0f8fad5b-d9cb-469f-a165-70867728950e",
    poolId: POOL,
    clientId: CLIENT,
    username: "alice",
  };

  it("is a five-part JWE with Cognito's protected header", async () => {
    const token = await issueRefreshToken({ ...content, key: keys.refresh });
    expect(token.startsWith("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.")).toBe(true);
    expect(token.split(".")).toHaveLength(5);
    expect(rawHeader(token)).toBe('{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}');
  });

  it("reads back what it names", async () => {
    const token = await issueRefreshToken({ ...content, key: keys.refresh });
    expect(await readRefreshToken(token, keys.refresh)).toEqual(content);
  });

  it("does not show its content in clear", async () => {
    const token = await issueRefreshToken({ ...content, key: keys.refresh });
    const visible = token
      .split(".")
      .map((part) => Buffer.from(part, "base64url").toString("latin1"))
      .join("");
    expect(visible).not.toContain("alice");
    expect(visible).not.toContain(content.originJti);
  });

  it("differs each time it is issued", async () => {
    const a = await issueRefreshToken({ ...content, key: keys.refresh });
    const b = await issueRefreshToken({ ...content, key: keys.refresh });
    expect(a).not.toBe(b);
  });

  it("is unreadable with another key, tampered with, or not a token at all", async () => {
    const token = await issueRefreshToken({ ...content, key: keys.refresh });
    expect(await readRefreshToken(token, keys.other)).toBeUndefined();
    const parts = token.split(".");
    const ciphertext = Buffer.from(parts[3]!, "base64url");
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString("base64url");
    expect(await readRefreshToken(parts.join("."), keys.refresh)).toBeUndefined();
    expect(await readRefreshToken("", keys.refresh)).toBeUndefined();
    expect(await readRefreshToken("a.b.c.d.e", keys.refresh)).toBeUndefined();
    expect(await readRefreshToken((await issueTokens(input())).accessToken, keys.refresh)).toBeUndefined();
    expect(await readRefreshToken(`${token}.${token}`, keys.refresh)).toBeUndefined();
  });

  it("refuses other algorithms and content that does not name a lineage", async () => {
    const publicKey = await importJWK(
      { ...(JSON.parse(keys.refresh.publicJwk) as JWK), alg: "RSA-OAEP-256" },
      "RSA-OAEP-256",
    );
    const otherAlg = await new CompactEncrypt(
      new TextEncoder().encode(
        JSON.stringify({ origin_jti: "x", pool_id: POOL, client_id: CLIENT, username: "a" }),
      ),
    )
      .setProtectedHeader({ enc: "A256GCM", alg: "RSA-OAEP-256" })
      .encrypt(publicKey);
    expect(await readRefreshToken(otherAlg, keys.refresh)).toBeUndefined();
    const oaep = await importJWK(JSON.parse(keys.refresh.publicJwk) as JWK, "RSA-OAEP");
    for (const plaintext of [
      '{"origin_jti":1}',
      "[]",
      "not json",
      '{"origin_jti":"x","pool_id":"p","client_id":"c"}',
    ]) {
      const token = await new CompactEncrypt(new TextEncoder().encode(plaintext))
        .setProtectedHeader({ cty: "JWT", enc: "A256GCM", alg: "RSA-OAEP" })
        .encrypt(oaep);
      expect(await readRefreshToken(token, keys.refresh), plaintext).toBeUndefined();
    }
  });
});
