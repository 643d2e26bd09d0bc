// Access-token checks for the access-token-authorized actions (GetUser, ChangePassword, GlobalSignOut, …).
import { compactVerify, decodeProtectedHeader } from "jose";
import { importKey } from "./crypto-keys.js";
import { ADMIN_SCOPE, type Claims } from "./issue.js";
import type { PublicJwk } from "./keys.js";

export type AccessTokenCheck =
  | { ok: true; claims: Claims & { sub: string; username: string; client_id: string; origin_jti?: string } }
  | { ok: false; reason: "invalid" | "expired" | "scope" };

const decoder = new TextDecoder();

/**
 * Checks signature (the pool's access key(s), RS256), `token_use`, issuer, expiry and scope, in that order:
 * an ID token, another pool's token or a forged one is "invalid" before its age matters. Revocation is the
 * caller's check, on `claims.origin_jti`.
 */
export async function verifyAccessToken(
  token: string,
  options: { keys: PublicJwk | readonly PublicJwk[]; issuer: string; now: number },
): Promise<AccessTokenCheck> {
  const invalid = { ok: false, reason: "invalid" } as const;
  if (typeof token !== "string" || token.split(".").length !== 3) return invalid;
  let payload: unknown;
  try {
    const header = decodeProtectedHeader(token);
    const keys: readonly PublicJwk[] = Array.isArray(options.keys) ? options.keys : [options.keys];
    const jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk) return invalid;
    const key = await importKey(JSON.stringify(jwk), "RS256");
    const verified = await compactVerify(token, key, { algorithms: ["RS256"] });
    payload = JSON.parse(decoder.decode(verified.payload));
  } catch {
    return invalid;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return invalid;
  const claims = payload as Claims;
  if (claims.token_use !== "access" || claims.iss !== options.issuer) return invalid;
  if (typeof claims.sub !== "string" || typeof claims.username !== "string") return invalid;
  if (typeof claims.client_id !== "string" || typeof claims.exp !== "number") return invalid;
  if (Math.floor(options.now / 1000) >= claims.exp) return { ok: false, reason: "expired" };
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.includes(ADMIN_SCOPE)) return { ok: false, reason: "scope" };
  return {
    ok: true,
    claims: claims as Claims & { sub: string; username: string; client_id: string; origin_jti?: string },
  };
}
