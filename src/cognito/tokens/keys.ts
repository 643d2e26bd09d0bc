// Per-pool RSA keys: one signs ID tokens, one signs access tokens, one encrypts refresh tokens (JWE).
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import type { Random } from "../../shared/random.js";
import type { KeyUse, SigningKeyRecord } from "../../store/model.js";

/** What a JWKS lists per key, members in the order Cognito writes them. */
export interface PublicJwk {
  alg: string;
  e: string;
  kid: string;
  kty: "RSA";
  n: string;
  use: "sig" | "enc";
}

const algOf = (use: KeyUse): "RS256" | "RSA-OAEP" => (use === "refresh" ? "RSA-OAEP" : "RS256");

/**
 * A new 2048-bit RSA key for `use`. The kid is base64 of 32 random bytes (44 characters, like Cognito's);
 * without a Random it is the SHA-256 thumbprint (RFC 7638) in the same shape, so it is still unique per key.
 * The key material itself comes from the platform's CSPRNG through jose: it cannot go through the port.
 */
export async function generateSigningKey(
  random: Random | undefined,
  use: KeyUse,
  poolId: string,
  now: number,
): Promise<SigningKeyRecord> {
  const alg = algOf(use);
  const pair = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  const pub = await exportJWK(pair.publicKey);
  const priv = await exportJWK(pair.privateKey);
  if (pub.n === undefined || pub.e === undefined) throw new Error("RSA export without n/e");
  const kid = random
    ? random.bytes(32).toString("base64")
    : Buffer.from(await calculateJwkThumbprint(pub, "sha256"), "base64url").toString("base64");
  const jwkUse = use === "refresh" ? "enc" : "sig";
  const publicJwk: PublicJwk = { alg, e: pub.e, kid, kty: "RSA", n: pub.n, use: jwkUse };
  const privateJwk = {
    kty: "RSA",
    kid,
    alg,
    use: jwkUse,
    n: priv.n,
    e: priv.e,
    d: priv.d,
    p: priv.p,
    q: priv.q,
    dp: priv.dp,
    dq: priv.dq,
    qi: priv.qi,
  };
  return {
    poolId,
    use,
    kid,
    privateJwk: JSON.stringify(privateJwk),
    publicJwk: JSON.stringify(publicJwk),
    createdAt: now,
  };
}

/** The public JWK of a key record, reduced to the six members a JWKS shows. */
export function publicJwkOf(record: SigningKeyRecord): PublicJwk {
  const jwk = JSON.parse(record.publicJwk) as PublicJwk;
  return { alg: jwk.alg, e: jwk.e, kid: jwk.kid, kty: jwk.kty, n: jwk.n, use: jwk.use };
}

/** The pool's `.well-known/jwks.json`: its ID and access keys only (the refresh key is never published). */
export function jwks(records: readonly SigningKeyRecord[]): { keys: PublicJwk[] } {
  return { keys: records.filter((r) => r.use !== "refresh").map(publicJwkOf) };
}
