// Tests for per-pool key generation and the JWKS built from the key records.
import { compactVerify, importJWK, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { cryptoRandom } from "../../shared/random.js";
import type { SigningKeyRecord } from "../../store/model.js";
import { signClaims } from "./issue.js";
import { generateSigningKey, jwks, publicJwkOf } from "./keys.js";

const POOL = "us-east-1_Example1";
const NOW = Date.UTC(2026, 0, 15, 12);
let id: SigningKeyRecord;
let access: SigningKeyRecord;
let refresh: SigningKeyRecord;
let unnamed: SigningKeyRecord;

beforeAll(async () => {
  [id, access, refresh, unnamed] = await Promise.all([
    generateSigningKey(cryptoRandom, "id", POOL, NOW),
    generateSigningKey(cryptoRandom, "access", POOL, NOW),
    generateSigningKey(cryptoRandom, "refresh", POOL, NOW),
    generateSigningKey(undefined, "id", POOL, NOW),
  ]);
});

const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe("generateSigningKey", () => {
  it("fills the record", () => {
    expect(id.poolId).toBe(POOL);
    expect(id.use).toBe("id");
    expect(access.use).toBe("access");
    expect(refresh.use).toBe("refresh");
    expect(id.createdAt).toBe(NOW);
  });

  it("names keys like Cognito: base64 of 32 random bytes", () => {
    for (const key of [id, access, refresh, unnamed]) {
      expect(key.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(key.kid, "base64")).toHaveLength(32);
      expect(parse(key.publicJwk).kid).toBe(key.kid);
      expect(parse(key.privateJwk).kid).toBe(key.kid);
    }
    expect(new Set([id.kid, access.kid, refresh.kid, unnamed.kid]).size).toBe(4);
  });

  it("takes the kid from the Random port when given one", async () => {
    const bytes = Buffer.alloc(32, 7);
    const random = { ...cryptoRandom, bytes: () => bytes };
    const key = await generateSigningKey(random, "access", POOL, NOW);
    expect(key.kid).toBe(bytes.toString("base64"));
  });

  it("makes 2048-bit RS256 signing keys for ID and access tokens", () => {
    for (const key of [id, access]) {
      const pub = parse(key.publicJwk);
      expect(Object.keys(pub).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      expect(pub).toMatchObject({ alg: "RS256", e: "AQAB", kty: "RSA", use: "sig" });
      expect(Buffer.from(pub.n as string, "base64url")).toHaveLength(256);
    }
  });

  it("makes an RSA-OAEP encryption key for refresh tokens", () => {
    const pub = parse(refresh.publicJwk);
    expect(pub).toMatchObject({ alg: "RSA-OAEP", kty: "RSA", use: "enc" });
    expect(Buffer.from(pub.n as string, "base64url")).toHaveLength(256);
  });

  it("keeps a usable private key with the same kid, alg and use", async () => {
    const priv = parse(id.privateJwk);
    expect(priv).toMatchObject({
      kty: "RSA",
      alg: "RS256",
      use: "sig",
      kid: id.kid,
      n: parse(id.publicJwk).n,
    });
    for (const member of ["d", "p", "q", "dp", "dq", "qi"]) expect(typeof priv[member]).toBe("string");
    const token = await signClaims({ hello: "world" }, id);
    const publicKey = await importJWK(parse(id.publicJwk) as JWK, "RS256");
    const { payload } = await compactVerify(token, publicKey);
    expect(new TextDecoder().decode(payload)).toBe('{"hello":"world"}');
  });
});

describe("jwks", () => {
  it("lists the ID and access keys with exactly alg, e, kid, kty, n and use", () => {
    const doc = jwks([id, access, refresh]);
    expect(doc.keys.map((k) => k.kid)).toEqual([id.kid, access.kid]);
    for (const key of doc.keys) {
      expect(Object.keys(key)).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      expect(JSON.stringify(key)).not.toMatch(/"(d|p|q|dp|dq|qi)"/);
    }
    expect(doc.keys[0]).toEqual({ ...parse(id.publicJwk) });
  });

  it("never publishes the refresh key", () => {
    expect(jwks([refresh]).keys).toEqual([]);
  });

  it("reduces a stored public JWK to the six members", () => {
    const padded = {
      ...id,
      publicJwk: JSON.stringify({ ...parse(id.publicJwk), ext: true, key_ops: ["verify"] }),
    };
    expect(Object.keys(publicJwkOf(padded))).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
  });
});
