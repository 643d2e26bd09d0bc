// PreTokenGeneration: the event Cognito sends (V1, or V2/V3 when configured) and applying its overrides.
import type { PoolRecord } from "../../store/model.js";
import type { Claims, TokenGroup } from "../tokens/issue.js";
import { orderGroups, preferredRole } from "../tokens/issue.js";
import { type PreTokenVersion, preTokenVersion as versionOf } from "../trigger-runner/lambda-config.js";
import { lambdaConfig } from "./pools.js";

export type TokenSource =
  | "TokenGeneration_Authentication"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_RefreshTokens";

/** Event `version`: "1" for the legacy string and V1_0, "2"/"3" for PreTokenGenerationConfig V2_0/V3_0. */
export function preTokenVersion(pool: PoolRecord): PreTokenVersion {
  return versionOf(lambdaConfig(pool));
}

export function groupConfiguration(groups: readonly TokenGroup[]) {
  const ordered = orderGroups(groups);
  return {
    groupsToOverride: ordered.map((g) => g.name),
    iamRolesToOverride: [...new Set(ordered.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))],
    preferredRole: preferredRole(ordered) ?? null,
  };
}

export function preTokenRequest(input: {
  version: "1" | "2" | "3";
  userAttributes: Record<string, string>;
  groups: readonly TokenGroup[];
  clientMetadata: Record<string, string> | undefined;
  scopes: readonly string[];
}): Record<string, unknown> {
  return {
    userAttributes: input.userAttributes,
    groupConfiguration: groupConfiguration(input.groups),
    ...(input.version === "1" ? {} : { scopes: [...input.scopes] }),
    clientMetadata: input.clientMetadata ?? null,
  };
}

/** The response Cognito pre-fills: the override object, null. */
export function preTokenDefaultResponse(version: "1" | "2" | "3"): Record<string, unknown> {
  return version === "1" ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null };
}

/** Claims a handler cannot add, change or suppress (Cognito's documented list, plus the token's own ids). */
const PROTECTED_ID = new Set([
  "acr",
  "amr",
  "aud",
  "at_hash",
  "auth_time",
  "azp",
  "cognito:username",
  "exp",
  "iat",
  "identities",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "sub",
  "token_use",
  "event_id",
  // Groups and roles change only through groupOverrideDetails.
  "cognito:groups",
  "cognito:roles",
  "cognito:preferred_role",
]);
const PROTECTED_ACCESS = new Set([
  ...PROTECTED_ID,
  "client_id",
  "scope",
  "username",
  "device_key",
  "version",
]);

interface ClaimEdits {
  add: Record<string, unknown>;
  suppress: string[];
}

export interface TokenOverrides {
  id: ClaimEdits;
  access: ClaimEdits & { scopesToAdd: string[]; scopesToSuppress: string[] };
  /** Present when the handler replaced the groups (an empty or null object removes them). */
  groups?: { names: string[]; roles: string[]; preferredRole: string | undefined };
}

const NONE: TokenOverrides = {
  id: { add: {}, suppress: [] },
  access: { add: {}, suppress: [], scopesToAdd: [], scopesToSuppress: [] },
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

function edits(value: unknown, stringsOnly: boolean): ClaimEdits {
  if (!isObject(value)) return { add: {}, suppress: [] };
  const add: Record<string, unknown> = {};
  if (isObject(value.claimsToAddOrOverride)) {
    for (const [name, claim] of Object.entries(value.claimsToAddOrOverride)) {
      // V1 claims are strings; anything else is not a claim V1 can express.
      if (stringsOnly && typeof claim !== "string") continue;
      if (claim !== undefined && claim !== null) add[name] = claim;
    }
  }
  return { add, suppress: strings(value.claimsToSuppress) };
}

function groupOverride(details: Record<string, unknown>): TokenOverrides["groups"] {
  // The key present replaces the groups; a null or empty object removes them.
  if (!("groupOverrideDetails" in details)) return undefined;
  const g = isObject(details.groupOverrideDetails) ? details.groupOverrideDetails : {};
  return {
    names: strings(g.groupsToOverride),
    roles: strings(g.iamRolesToOverride),
    preferredRole:
      typeof g.preferredRole === "string" && g.preferredRole !== "" ? g.preferredRole : undefined,
  };
}

/**
 * What the handler's response asks for. Malformed parts are ignored here; rejecting them with
 * InvalidLambdaResponseException is the trigger runner's job.
 */
export function overridesFrom(
  version: "1" | "2" | "3",
  response: Record<string, unknown> | undefined,
): TokenOverrides {
  if (!response) return NONE;
  if (version === "1") {
    const details = response.claimsOverrideDetails;
    if (!isObject(details)) return NONE;
    const groups = groupOverride(details);
    return { ...NONE, id: edits(details, true), ...(groups ? { groups } : {}) };
  }
  const details = response.claimsAndScopeOverrideDetails;
  if (!isObject(details)) return NONE;
  const access = isObject(details.accessTokenGeneration) ? details.accessTokenGeneration : {};
  const groups = groupOverride(details);
  return {
    id: edits(details.idTokenGeneration, false),
    access: {
      ...edits(access, false),
      scopesToAdd: strings(access.scopesToAdd),
      scopesToSuppress: strings(access.scopesToSuppress),
    },
    ...(groups ? { groups } : {}),
  };
}

function applyEdits(claims: Claims, change: ClaimEdits, protectedClaims: ReadonlySet<string>): Claims {
  const out: Claims = { ...claims };
  for (const [name, value] of Object.entries(change.add)) if (!protectedClaims.has(name)) out[name] = value;
  // Suppression wins over an override of the same claim.
  for (const name of change.suppress) if (!protectedClaims.has(name)) delete out[name];
  return out;
}

function setGroups(
  claims: Claims,
  groups: NonNullable<TokenOverrides["groups"]>,
  withRoles: boolean,
): Claims {
  const out: Claims = { ...claims };
  delete out["cognito:groups"];
  delete out["cognito:roles"];
  delete out["cognito:preferred_role"];
  if (groups.names.length > 0) out["cognito:groups"] = groups.names;
  if (withRoles) {
    if (groups.roles.length > 0) out["cognito:roles"] = groups.roles;
    if (groups.preferredRole !== undefined) out["cognito:preferred_role"] = groups.preferredRole;
  }
  return out;
}

/** The ID and access token payloads after the handler's overrides. */
export function applyOverrides(
  id: Claims,
  access: Claims,
  overrides: TokenOverrides,
): { id: Claims; access: Claims } {
  let idOut = applyEdits(id, overrides.id, PROTECTED_ID);
  let accessOut = applyEdits(access, overrides.access, PROTECTED_ACCESS);
  if (overrides.groups) {
    idOut = setGroups(idOut, overrides.groups, true);
    accessOut = setGroups(accessOut, overrides.groups, false);
  }
  const { scopesToAdd, scopesToSuppress } = overrides.access;
  if (scopesToAdd.length > 0 || scopesToSuppress.length > 0) {
    const scopes = typeof accessOut.scope === "string" ? accessOut.scope.split(" ").filter(Boolean) : [];
    const next = [...new Set([...scopes, ...scopesToAdd])].filter((s) => !scopesToSuppress.includes(s));
    if (next.length > 0) accessOut.scope = next.join(" ");
    else delete accessOut.scope;
  }
  return { id: idOut, access: accessOut };
}
