// Tests for the OpenID discovery document and the JWKS document.
import { describe, expect, it } from "vitest";
import type { SigningKeyRecord } from "../../store/model.js";
import { jwksDocument, openidConfiguration } from "./discovery.js";

const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example1";

describe("openidConfiguration", () => {
  it("is Cognito's document with the OAuth endpoints and the JWKS on this server", () => {
    const doc = openidConfiguration(ISSUER, "http://127.0.0.1:9229");
    expect(doc).toEqual({
      authorization_endpoint: "http://127.0.0.1:9229/oauth2/authorize",
      id_token_signing_alg_values_supported: ["RS256"],
      issuer: ISSUER,
      jwks_uri: "http://127.0.0.1:9229/us-east-1_Example1/.well-known/jwks.json",
      response_types_supported: ["code", "token"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      token_endpoint: "http://127.0.0.1:9229/oauth2/token",
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      userinfo_endpoint: "http://127.0.0.1:9229/oauth2/userInfo",
    });
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
  });

  it("takes a base URL that is already the pool's", () => {
    const doc = openidConfiguration(ISSUER, "http://localhost:9229/us-east-1_Example1/");
    expect(doc.jwks_uri).toBe("http://localhost:9229/us-east-1_Example1/.well-known/jwks.json");
    expect(doc.token_endpoint).toBe("http://localhost:9229/us-east-1_Example1/oauth2/token");
  });

  it("gives <issuer>/.well-known/jwks.json when the issuer is local", () => {
    const local = "http://localhost:9229/eu-west-1_Abc123";
    const doc = openidConfiguration(local, "http://localhost:9229/");
    expect(doc.issuer).toBe(local);
    expect(doc.jwks_uri).toBe(`${local}/.well-known/jwks.json`);
  });
});

describe("jwksDocument", () => {
  const record = (use: SigningKeyRecord["use"], kid: string): SigningKeyRecord => ({
    poolId: "us-east-1_Example1",
    use,
    kid,
    privateJwk: JSON.stringify({ kty: "RSA", kid, d: "secret" }),
    publicJwk: JSON.stringify({ alg: "RS256", e: "AQAB", kid, kty: "RSA", n: `n-${kid}`, use: "sig" }),
    createdAt: 0,
  });

  it("publishes the ID and access keys only, without private members", () => {
    const doc = jwksDocument([record("id", "k1"), record("refresh", "k3"), record("access", "k2")]);
    expect(doc).toEqual({
      keys: [
        { alg: "RS256", e: "AQAB", kid: "k1", kty: "RSA", n: "n-k1", use: "sig" },
        { alg: "RS256", e: "AQAB", kid: "k2", kty: "RSA", n: "n-k2", use: "sig" },
      ],
    });
  });
});
