// Authenticating an access token for the self-service actions: pool, signature, expiry, scope, revocation, user.
import { decodeJwt } from "jose";
import type { ServerConfig } from "../../shared/config.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { MESSAGES, notAuthorized, userNotFound } from "../errors.js";
import type { CognitoDeps } from "../ports.js";
import { publicJwkOf } from "../tokens/keys.js";
import { type AccessTokenCheck, verifyAccessToken } from "../tokens/verify.js";
import { poolKeysIn } from "./keys.js";

export type AccessClaims = Extract<AccessTokenCheck, { ok: true }>["claims"];

export interface Authenticated {
  pool: PoolRecord;
  /** Undefined when the client was deleted after the token was issued. */
  client: ClientRecord | undefined;
  user: UserRecord;
  claims: AccessClaims;
}

const invalid = () => notAuthorized(MESSAGES.invalidAccessToken);

/** The pool an access token claims to come from: its `iss` must be `<issuerBase>/<poolId>`. */
export function poolIdOfToken(config: ServerConfig, token: string): string | undefined {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return undefined;
  }
  const prefix = `${config.issuerBase}/`;
  if (typeof iss !== "string" || !iss.startsWith(prefix)) return undefined;
  const poolId = iss.slice(prefix.length);
  return /^[\w-]+_[0-9a-zA-Z]+$/.test(poolId) ? poolId : undefined;
}

/**
 * Checks an access token inside the action's transaction: a token that is not one of this server's access
 * tokens ("Invalid Access Token"), expired, without the admin scope; the user must still exist and be
 * enabled; then the token must not be revoked (GlobalSignOut / RevokeToken / AdminUserGlobalSignOut).
 * RS256 verification costs well under a millisecond, so it stays inside the transaction and the whole
 * check sees one state.
 */
export async function authenticateAccessToken(
  tx: StoreTx,
  deps: Pick<CognitoDeps, "config" | "store">,
  token: string,
  now: number,
): Promise<Authenticated> {
  const { config } = deps;
  const poolId = poolIdOfToken(config, token);
  if (!poolId) throw invalid();
  const pool = await tx.getPool(poolId);
  if (!pool) throw invalid();
  const poolKeySet = await poolKeysIn(tx, deps.store, poolId);
  if (!poolKeySet) throw invalid();
  const keys = [publicJwkOf(poolKeySet.access)];
  const check = await verifyAccessToken(token, { keys, issuer: `${config.issuerBase}/${poolId}`, now });
  if (!check.ok) {
    if (check.reason === "expired") throw notAuthorized(MESSAGES.accessTokenExpired);
    if (check.reason === "scope") throw notAuthorized(MESSAGES.accessTokenScopes);
    throw invalid();
  }
  const { claims } = check;
  // By sub: a user deleted and re-created under the same name is someone else.
  const user = (await tx.getUserBySub(poolId, claims.sub))?.user;
  if (!user) throw userNotFound(MESSAGES.userNotFound);
  // Disabling a user also revokes their tokens; the disabled state is the more telling answer.
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (typeof claims.origin_jti === "string") {
    const family = await tx.getRefreshToken(claims.origin_jti);
    if (family?.revoked) throw notAuthorized(MESSAGES.accessTokenRevoked);
  }
  const client = await tx.getClient(claims.client_id);
  return { pool, client: client?.poolId === poolId ? client : undefined, user, claims };
}
