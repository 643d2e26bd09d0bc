// A pool's OpenID discovery document and JWKS (`/<poolId>/.well-known/openid-configuration`, `jwks.json`).
import type { SigningKeyRecord } from "../../store/model.js";
import { jwks, type PublicJwk } from "./keys.js";

export interface OpenIdConfiguration {
  authorization_endpoint: string;
  id_token_signing_alg_values_supported: string[];
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  scopes_supported: string[];
  subject_types_supported: string[];
  token_endpoint: string;
  token_endpoint_auth_methods_supported: string[];
  userinfo_endpoint: string;
}

/**
 * Cognito's document, members in its order. Cognito points the three OAuth endpoints at the pool's domain
 * (and reports disagree on what it writes without one); here they are `<baseUrl>/oauth2/…`, this server's
 * routes. `jwks_uri` is served by this server too, at `/<poolId>/.well-known/jwks.json`: with an AWS-shaped
 * issuer, `<issuer>/.well-known/…` would send verifiers to AWS. `baseUrl` may be the server's root or
 * already the pool's (`…/<poolId>`, as http/routes.ts passes it); either way the JWKS URL is the same.
 */
export function openidConfiguration(issuer: string, baseUrl: string): OpenIdConfiguration {
  const base = baseUrl.replace(/\/+$/, "");
  const poolId = issuer.replace(/\/+$/, "").split("/").pop() ?? "";
  const poolBase = poolId !== "" && base.endsWith(`/${poolId}`) ? base : `${base}/${poolId}`;
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    id_token_signing_alg_values_supported: ["RS256"],
    issuer,
    jwks_uri: `${poolBase}/.well-known/jwks.json`,
    response_types_supported: ["code", "token"],
    scopes_supported: ["openid", "email", "phone", "profile"],
    subject_types_supported: ["public"],
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    userinfo_endpoint: `${base}/oauth2/userInfo`,
  };
}

/** The body of `.well-known/jwks.json`: the pool's ID and access keys. */
export function jwksDocument(records: readonly SigningKeyRecord[]): { keys: PublicJwk[] } {
  return jwks(records);
}
