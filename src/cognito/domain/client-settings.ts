// App client configuration: Create/UpdateUserPoolClient input rules, Cognito's defaults, ids, secrets, wire shapes.

import type { Random } from "../../shared/random.js";
import { bool, int, list, str, struct } from "../../shared/validation.js";
import type { ClientRecord, PoolRecord, WireObject } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { CognitoError, clientNotFound, invalidParameter } from "../errors.js";
import { epochSeconds } from "./epoch-seconds.js";
import { ARN, NAME } from "./pool-settings.js";
import { schemaOf } from "./users.js";

const TIME_UNITS = ["seconds", "minutes", "hours", "days"] as const;

export const LEGACY_AUTH_FLOWS = [
  "ADMIN_NO_SRP_AUTH",
  "CUSTOM_AUTH_FLOW_ONLY",
  "USER_PASSWORD_AUTH",
] as const;
const AUTH_FLOWS = [
  ...LEGACY_AUTH_FLOWS,
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_CUSTOM_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_AUTH",
] as const;

const UNICODE_TEXT = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+";
const UNICODE = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const URL_LIST = list(str({ min: 1, max: 1024, pattern: UNICODE, patternText: UNICODE_TEXT }), {
  min: 0,
  max: 100,
});

/** The members CreateUserPoolClient and UpdateUserPoolClient share, in the model's order. */
const SHARED_MEMBERS = {
  RefreshTokenValidity: int({ min: 0, max: 315360000 }),
  AccessTokenValidity: int({ min: 1, max: 86400 }),
  IdTokenValidity: int({ min: 1, max: 86400 }),
  TokenValidityUnits: struct({
    AccessToken: str({ enum: TIME_UNITS }),
    IdToken: str({ enum: TIME_UNITS }),
    RefreshToken: str({ enum: TIME_UNITS }),
  }),
  ReadAttributes: list(str({ min: 1, max: 2048 })),
  WriteAttributes: list(str({ min: 1, max: 2048 })),
  ExplicitAuthFlows: list(str({ enum: AUTH_FLOWS })),
  SupportedIdentityProviders: list(str({ min: 1, max: 32, pattern: UNICODE, patternText: UNICODE_TEXT })),
  CallbackURLs: URL_LIST,
  LogoutURLs: URL_LIST,
  DefaultRedirectURI: str({ min: 1, max: 1024, pattern: UNICODE, patternText: UNICODE_TEXT }),
  AllowedOAuthFlows: list(str({ enum: ["code", "implicit", "client_credentials"] }), { min: 0, max: 3 }),
  AllowedOAuthScopes: list(
    str({
      min: 1,
      max: 256,
      pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/,
      patternText: "[\\x21\\x23-\\x5B\\x5D-\\x7E]+",
    }),
    { max: 50 },
  ),
  AllowedOAuthFlowsUserPoolClient: bool(),
  AnalyticsConfiguration: struct({
    ApplicationId: str({ pattern: /^[0-9a-fA-F]+$/, patternText: "^[0-9a-fA-F]+$" }),
    ApplicationArn: ARN(),
    RoleArn: ARN(),
    ExternalId: str(),
    UserDataShared: bool(),
  }),
  PreventUserExistenceErrors: str({ enum: ["LEGACY", "ENABLED"] }),
  EnableTokenRevocation: bool(),
  EnablePropagateAdditionalUserContextData: bool(),
  AuthSessionValidity: int({ min: 3, max: 15 }),
  RefreshTokenRotation: struct({
    Feature: str({ required: true, enum: ["ENABLED", "DISABLED"] }),
    RetryGracePeriodSeconds: int({ min: 0, max: 60 }),
  }),
};

export const CREATE_CLIENT_MEMBERS = {
  ClientName: NAME(true),
  GenerateSecret: bool(),
  ClientSecret: str({ min: 24, max: 64, pattern: /^[\w+]+$/, patternText: "[\\w+]+", sensitive: true }),
  ...SHARED_MEMBERS,
};

export const UPDATE_CLIENT_MEMBERS = { ClientName: NAME(false), ...SHARED_MEMBERS };

type Obj = Record<string, unknown>;
type Unit = (typeof TIME_UNITS)[number];

const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

const THIRTY_DAYS = 30 * 86400;

/**
 * The three lifetimes with their units (hours, hours, days when TokenValidityUnits leaves one out):
 * access and ID 5 minutes to 1 day, refresh 60 minutes to 10 years and no shorter than the other two.
 * RefreshTokenValidity 0 or absent means 30 days, written in the refresh unit.
 */
function tokenValidities(input: Obj): Obj {
  const units = isObject(input.TokenValidityUnits) ? input.TokenValidityUnits : {};
  const unit = (key: string, fallback: Unit): Unit => (units[key] as Unit | undefined) ?? fallback;
  const refreshUnit = unit("RefreshToken", "days");
  const refresh =
    typeof input.RefreshTokenValidity === "number" && input.RefreshTokenValidity > 0
      ? input.RefreshTokenValidity
      : Math.floor(THIRTY_DAYS / UNIT_SECONDS[refreshUnit]);
  const refreshSeconds = refresh * UNIT_SECONDS[refreshUnit];
  const out: Obj = { RefreshTokenValidity: refresh };
  const invalid = () => invalidParameter("Invalid range for token validity");
  if (refreshSeconds < 3600 || refreshSeconds > 3650 * 86400) throw invalid();
  for (const [member, key] of [
    ["AccessTokenValidity", "AccessToken"],
    ["IdTokenValidity", "IdToken"],
  ] as const) {
    const value = input[member];
    if (typeof value !== "number") continue;
    const seconds = value * UNIT_SECONDS[unit(key, "hours")];
    if (seconds < 300 || seconds > 86400 || seconds > refreshSeconds) throw invalid();
    out[member] = value;
  }
  out.TokenValidityUnits = { ...units };
  return out;
}

/** Legacy names and ALLOW_ names are two generations of the setting: a client uses one or the other. */
function authFlows(input: Obj): string[] | undefined {
  if (input.ExplicitAuthFlows === undefined) return undefined;
  const flows = [...new Set(strings(input.ExplicitAuthFlows))];
  const legacy = flows.filter((flow) => (LEGACY_AUTH_FLOWS as readonly string[]).includes(flow));
  if (legacy.length > 0 && legacy.length < flows.length)
    throw invalidParameter("ExplicitAuthFlows cannot combine legacy values with ALLOW_ prefixed values.");
  return flows;
}

/** Read and write permissions must name attributes of the pool; nobody writes `sub`. */
function permissions(pool: PoolRecord, input: Obj, verb: "creating" | "updating"): Obj {
  const schema = schemaOf(pool);
  const out: Obj = {};
  for (const [member, kind] of [
    ["ReadAttributes", "read"],
    ["WriteAttributes", "write"],
  ] as const) {
    const names = [...new Set(strings(input[member]))];
    if (names.length === 0) continue;
    const unknown = names.some((name) => !schema.has(name) || (kind === "write" && name === "sub"));
    if (unknown) throw invalidParameter(`Invalid ${kind} attributes specified while ${verb} a client`);
    out[member] = names;
  }
  return out;
}

const invalidOAuthFlow = (message: string) => new CognitoError("InvalidOAuthFlowException", message);

/** The machine-to-machine grant stands alone and needs a secret to authenticate the client. */
function oauthFlows(input: Obj, hasSecret: boolean): string[] | undefined {
  if (input.AllowedOAuthFlows === undefined) return undefined;
  const flows = [...new Set(strings(input.AllowedOAuthFlows))];
  if (flows.includes("client_credentials")) {
    if (flows.length > 1)
      throw invalidOAuthFlow(
        "client_credentials flow can not be selected along with code flow or implicit flow.",
      );
    if (!hasSecret)
      throw invalidOAuthFlow(
        "client_credentials flow can not be selected if client does not have a client secret.",
      );
  }
  return flows;
}

/**
 * The stored settings of a client (`UserPoolClient` minus ids and dates) from a Create or Update
 * request. Update has replace semantics: every member the request omits takes its default again;
 * only the name (when omitted) and the secret survive from `previous`.
 */
export function clientSettings(
  pool: PoolRecord,
  input: Obj,
  options: { secret: string | undefined; name: string; verb: "creating" | "updating" },
): WireObject {
  const settings: Obj = { ClientName: options.name };
  if (options.secret !== undefined) settings.ClientSecret = options.secret;
  Object.assign(settings, tokenValidities(input), permissions(pool, input, options.verb));
  const flows = authFlows(input);
  if (flows) settings.ExplicitAuthFlows = flows;
  for (const member of ["SupportedIdentityProviders", "CallbackURLs", "LogoutURLs"]) {
    if (input[member] !== undefined) settings[member] = [...new Set(strings(input[member]))];
  }
  if (input.DefaultRedirectURI !== undefined) settings.DefaultRedirectURI = input.DefaultRedirectURI;
  const oauth = oauthFlows(input, options.secret !== undefined);
  if (oauth) settings.AllowedOAuthFlows = oauth;
  if (input.AllowedOAuthScopes !== undefined)
    settings.AllowedOAuthScopes = [...new Set(strings(input.AllowedOAuthScopes))];
  settings.AllowedOAuthFlowsUserPoolClient = input.AllowedOAuthFlowsUserPoolClient ?? false;
  if (input.AnalyticsConfiguration !== undefined)
    settings.AnalyticsConfiguration = input.AnalyticsConfiguration;
  settings.PreventUserExistenceErrors = input.PreventUserExistenceErrors ?? "LEGACY";
  settings.EnableTokenRevocation = input.EnableTokenRevocation ?? true;
  settings.EnablePropagateAdditionalUserContextData = input.EnablePropagateAdditionalUserContextData ?? false;
  settings.AuthSessionValidity = input.AuthSessionValidity ?? 3;
  if (input.RefreshTokenRotation !== undefined) settings.RefreshTokenRotation = input.RefreshTokenRotation;
  return settings;
}

/** Generated secrets and caller-chosen ones are exclusive. */
export function requestedSecret(random: Random, input: Obj): string | undefined {
  if (input.GenerateSecret === true && input.ClientSecret !== undefined)
    throw invalidParameter("ClientSecret cannot be provided when GenerateSecret is true.");
  if (typeof input.ClientSecret === "string") return input.ClientSecret;
  return input.GenerateSecret === true ? randomText(random, 52) : undefined;
}

const LOWER_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomText(random: Random, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += LOWER_ALPHANUMERIC[random.int(LOWER_ALPHANUMERIC.length)];
  return text;
}

/** 26 characters of `[a-z0-9]`, unused in this store (client ids are unique across pools). */
export async function newClientId(tx: StoreTx, random: Random): Promise<string> {
  for (;;) {
    const id = randomText(random, 26);
    if (!(await tx.getClient(id))) return id;
  }
}

/** A client of this pool: a client id of another pool is as unknown as one that never existed. */
export async function loadPoolClient(tx: StoreTx, pool: PoolRecord, clientId: string): Promise<ClientRecord> {
  const client = await tx.getClient(clientId);
  if (!client || client.poolId !== pool.id) throw clientNotFound(clientId);
  return client;
}

/** DescribeUserPoolClient's `UserPoolClient`. */
export function clientWire(client: ClientRecord): WireObject {
  const { ClientName, ClientSecret, ...rest } = client.settings;
  return {
    UserPoolId: client.poolId,
    ClientName,
    ClientId: client.clientId,
    ...(ClientSecret === undefined ? {} : { ClientSecret }),
    LastModifiedDate: epochSeconds(client.lastModifiedAt),
    CreationDate: epochSeconds(client.createdAt),
    ...rest,
  };
}

/** ListUserPoolClients' `UserPoolClientDescription`. */
export function clientDescription(client: ClientRecord): WireObject {
  return { ClientId: client.clientId, UserPoolId: client.poolId, ClientName: client.settings.ClientName };
}
