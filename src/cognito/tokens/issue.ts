// ID, access and refresh tokens with Cognito's claims, headers and formats (API sign-in flows).
import { CompactEncrypt, CompactSign, compactDecrypt } from "jose";
import type { Random } from "../../shared/random.js";
import type { SigningKeyRecord } from "../../store/model.js";
import { importKey } from "./crypto-keys.js";

export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

export interface TokenGroup {
  name: string;
  roleArn?: string | undefined;
  precedence?: number | undefined;
}

export interface IssueTokensInput {
  /** `issuer` is the full `iss` (`<issuerBase>/<poolId>`). */
  pool: { id: string; issuer: string };
  client: { id: string; accessValiditySeconds: number; idValiditySeconds: number };
  /** `attributes` as stored: strings (`email_verified` is "true"/"false"); `sub` is taken from `sub`. */
  user: { username: string; sub: string; attributes: Record<string, string> };
  groups: readonly TokenGroup[];
  /** Seconds: when the user authenticated (kept across refreshes). */
  authTime: number;
  originJti: string;
  eventId: string;
  /** Epoch ms. */
  now: number;
  keys: { id: SigningKeyRecord; access: SigningKeyRecord };
  /**
   * The client's ReadAttributes: the ID token carries only these (and always `sub`). Absent or empty means
   * every attribute, as for a client created without ReadAttributes.
   */
  readAttributes?: readonly string[] | undefined;
  /** For each token's `jti`. */
  random: Random;
}

export type Claims = Record<string, unknown>;

/** Claims the attributes must never overwrite (a schema cannot define them, but stored data is not trusted). */
const RESERVED = new Set([
  "sub",
  "aud",
  "iss",
  "exp",
  "iat",
  "jti",
  "origin_jti",
  "event_id",
  "token_use",
  "auth_time",
  "cognito:username",
  "cognito:groups",
  "cognito:roles",
  "cognito:preferred_role",
  "client_id",
  "username",
  "scope",
]);

const BOOLEAN_ATTRIBUTES = new Set(["email_verified", "phone_number_verified"]);

/** An attribute's value as the ID token types it: booleans, `updated_at` a number, `address` an object. */
function claimValue(name: string, value: string): unknown {
  if (BOOLEAN_ATTRIBUTES.has(name)) {
    if (value === "true") return true;
    if (value === "false") return false;
    return value;
  }
  if (name === "updated_at") {
    const n = Number(value);
    return value.trim() !== "" && Number.isFinite(n) ? n : value;
  }
  if (name === "address" || name === "identities") {
    try {
      const parsed: unknown = JSON.parse(value);
      const fits = name === "address" ? isPlainObject(parsed) : Array.isArray(parsed);
      return fits ? parsed : value;
    } catch {
      return value;
    }
  }
  return value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Groups in claim order: by precedence (unset last), then by name. */
export function orderGroups(groups: readonly TokenGroup[]): TokenGroup[] {
  const rank = (g: TokenGroup): number => g.precedence ?? Number.POSITIVE_INFINITY;
  return [...groups].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `cognito:preferred_role`: the role of the group with the lowest precedence among those with a role. When
 * several such groups tie with different roles there is no preferred role (CreateGroup's documentation).
 */
export function preferredRole(groups: readonly TokenGroup[]): string | undefined {
  const withRole = groups.filter((g) => g.roleArn);
  if (withRole.length === 0) return undefined;
  const best = Math.min(...withRole.map((g) => g.precedence ?? Number.POSITIVE_INFINITY));
  const roles = new Set(
    withRole.filter((g) => (g.precedence ?? Number.POSITIVE_INFINITY) === best).map((g) => g.roleArn),
  );
  return roles.size === 1 ? [...roles][0] : undefined;
}

function groupClaims(groups: readonly TokenGroup[], withRoles: boolean): Claims {
  if (groups.length === 0) return {};
  const ordered = orderGroups(groups);
  const claims: Claims = { "cognito:groups": ordered.map((g) => g.name) };
  if (!withRoles) return claims;
  const roles = [...new Set(ordered.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))];
  if (roles.length === 0) return claims;
  const preferred = preferredRole(ordered);
  if (preferred !== undefined) claims["cognito:preferred_role"] = preferred;
  claims["cognito:roles"] = roles;
  return claims;
}

/** The ID token's payload before signing (PreTokenGeneration edits this). */
export function idTokenClaims(input: IssueTokensInput, jti: string): Claims {
  const iat = Math.floor(input.now / 1000);
  const readable = input.readAttributes?.length ? new Set(input.readAttributes) : undefined;
  const attributes: Claims = {};
  for (const [name, value] of Object.entries(input.user.attributes)) {
    // Developer-only attributes are never readable by clients; empty values are not claims.
    if (RESERVED.has(name) || name.startsWith("dev:") || value === "") continue;
    if (readable && !readable.has(name)) continue;
    attributes[name] = claimValue(name, value);
  }
  return {
    sub: input.user.sub,
    ...groupClaims(input.groups, true),
    ...attributes,
    aud: input.client.id,
    event_id: input.eventId,
    token_use: "id",
    auth_time: input.authTime,
    iss: input.pool.issuer,
    "cognito:username": input.user.username,
    exp: iat + input.client.idValiditySeconds,
    iat,
    jti,
    origin_jti: input.originJti,
  };
}

/** The access token's payload before signing. */
export function accessTokenClaims(input: IssueTokensInput, jti: string): Claims {
  const iat = Math.floor(input.now / 1000);
  return {
    sub: input.user.sub,
    ...groupClaims(input.groups, false),
    event_id: input.eventId,
    token_use: "access",
    scope: ADMIN_SCOPE,
    auth_time: input.authTime,
    iss: input.pool.issuer,
    exp: iat + input.client.accessValiditySeconds,
    iat,
    jti,
    origin_jti: input.originJti,
    client_id: input.client.id,
    username: input.user.username,
  };
}

const encoder = new TextEncoder();

/** A JWS compact token with Cognito's header `{"kid":…,"alg":"RS256"}` (no `typ`). */
export async function signClaims(claims: Claims, key: SigningKeyRecord): Promise<string> {
  const privateKey = await importKey(key.privateJwk, "RS256");
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ kid: key.kid, alg: "RS256" })
    .sign(privateKey);
}

/** The ID and access tokens of one sign-in (or refresh); `expiresIn` is the access token's lifetime. */
export async function issueTokens(
  input: IssueTokensInput,
): Promise<{ idToken: string; accessToken: string; expiresIn: number }> {
  const [idToken, accessToken] = await Promise.all([
    signClaims(idTokenClaims(input, input.random.uuid()), input.keys.id),
    signClaims(accessTokenClaims(input, input.random.uuid()), input.keys.access),
  ]);
  return { idToken, accessToken, expiresIn: input.client.accessValiditySeconds };
}

// ---------------------------------------------------------------------------------------------------------
// Refresh tokens: a real JWE so clients see Cognito's shape; only this server can read it. The store's
// refresh-token record (looked up by originJti) stays the authority on expiry and revocation.

export interface RefreshTokenContent {
  originJti: string;
  poolId: string;
  clientId: string;
  username: string;
}

/** Cognito's protected header, members in Cognito's order, so tokens begin `eyJjdHkiOiJKV1QiLCJlbmMi…`. */
const REFRESH_HEADER = { cty: "JWT", enc: "A256GCM", alg: "RSA-OAEP" } as const;
/** Cognito's refresh tokens are ~1,700 characters; nothing legitimate is far longer. */
const MAX_REFRESH_TOKEN_LENGTH = 16_384;

export async function issueRefreshToken(
  input: RefreshTokenContent & { key: SigningKeyRecord },
): Promise<string> {
  const publicKey = await importKey(input.key.publicJwk, "RSA-OAEP");
  const plaintext = JSON.stringify({
    origin_jti: input.originJti,
    pool_id: input.poolId,
    client_id: input.clientId,
    username: input.username,
  });
  return new CompactEncrypt(encoder.encode(plaintext)).setProtectedHeader(REFRESH_HEADER).encrypt(publicKey);
}

/** What a refresh token names, or undefined when it is not one this key encrypted. */
export async function readRefreshToken(
  token: string,
  key: SigningKeyRecord,
): Promise<RefreshTokenContent | undefined> {
  if (typeof token !== "string" || token.length > MAX_REFRESH_TOKEN_LENGTH || token.split(".").length !== 5) {
    return undefined;
  }
  try {
    const privateKey = await importKey(key.privateJwk, "RSA-OAEP");
    const { plaintext } = await compactDecrypt(token, privateKey, {
      keyManagementAlgorithms: ["RSA-OAEP"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const content: unknown = JSON.parse(new TextDecoder().decode(plaintext));
    if (!isPlainObject(content)) return undefined;
    const { origin_jti, pool_id, client_id, username } = content;
    if (
      typeof origin_jti !== "string" ||
      typeof pool_id !== "string" ||
      typeof client_id !== "string" ||
      typeof username !== "string"
    ) {
      return undefined;
    }
    return { originJti: origin_jti, poolId: pool_id, clientId: client_id, username };
  } catch {
    return undefined;
  }
}
