// App clients: lookup, which auth flows they allow, SECRET_HASH, and token lifetimes.

import type { ClientRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { clientNotFound, invalidParameter, notAuthorized } from "../errors.js";
import { verifySecretHash } from "./secret-hash.js";

export async function loadClient(tx: StoreTx, clientId: string): Promise<ClientRecord> {
  const client = await tx.getClient(clientId);
  if (!client) throw clientNotFound(clientId);
  return client;
}

/** What Cognito applies when a client was created without ExplicitAuthFlows. */
export const DEFAULT_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

/** Legacy names that allow the same flows as their ALLOW_ counterparts. */
const LEGACY_FLOWS: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  CUSTOM_AUTH_FLOW_ONLY: "ALLOW_CUSTOM_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
};

export function allowedFlows(client: ClientRecord): Set<string> {
  const configured = client.settings.ExplicitAuthFlows as string[] | undefined;
  const flows = configured && configured.length > 0 ? configured : DEFAULT_AUTH_FLOWS;
  const out = new Set(flows.map((flow) => LEGACY_FLOWS[flow] ?? flow));
  // Legacy clients listing only old names always allowed SRP and refresh.
  if (configured?.some((f) => f in LEGACY_FLOWS) && !configured.some((f) => f.startsWith("ALLOW_"))) {
    out.add("ALLOW_USER_SRP_AUTH");
    out.add("ALLOW_REFRESH_TOKEN_AUTH");
  }
  return out;
}

/** The client setting an AuthFlow needs. */
const FLOW_SETTING: Record<string, string> = {
  USER_SRP_AUTH: "ALLOW_USER_SRP_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  ADMIN_USER_PASSWORD_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  REFRESH_TOKEN_AUTH: "ALLOW_REFRESH_TOKEN_AUTH",
  REFRESH_TOKEN: "ALLOW_REFRESH_TOKEN_AUTH",
  CUSTOM_AUTH: "ALLOW_CUSTOM_AUTH",
  USER_AUTH: "ALLOW_USER_AUTH",
};

export function requireFlow(client: ClientRecord, flow: string): void {
  const setting = FLOW_SETTING[flow];
  if (!setting || !allowedFlows(client).has(setting))
    throw invalidParameter(`${flow} flow not enabled for this client`);
}

/**
 * Checks SECRET_HASH when the client has a secret. `username` is the name the call carries: what the
 * user typed, or the internal username after SRP and for refresh.
 */
export function checkSecretHash(
  client: ClientRecord,
  username: string,
  secretHash: string | undefined,
): void {
  const secret = client.settings.ClientSecret as string | undefined;
  if (!secret) return;
  if (!secretHash)
    throw notAuthorized(
      `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  if (!verifySecretHash(secret, username, client.clientId, secretHash))
    throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Token lifetimes in seconds: defaults 60 min / 60 min / 30 days; units default hours, hours, days. */
export function tokenValidity(client: ClientRecord): { access: number; id: number; refresh: number } {
  const s = client.settings;
  const units = (s.TokenValidityUnits as Record<string, string> | undefined) ?? {};
  const seconds = (value: unknown, unit: string | undefined, fallbackUnit: string, fallback: number) => {
    if (typeof value !== "number" || value <= 0) return fallback;
    return value * (UNIT_SECONDS[unit ?? fallbackUnit] ?? 3600);
  };
  return {
    access: seconds(s.AccessTokenValidity, units.AccessToken, "hours", 3600),
    id: seconds(s.IdTokenValidity, units.IdToken, "hours", 3600),
    refresh: seconds(s.RefreshTokenValidity, units.RefreshToken, "days", 30 * 86400),
  };
}

/** `PreventUserExistenceErrors`: LEGACY (the API default) or ENABLED. */
export function preventsUserExistenceErrors(client: ClientRecord): boolean {
  return client.settings.PreventUserExistenceErrors === "ENABLED";
}

/** `AuthSessionValidity` minutes (3 to 15, default 3) for challenge sessions. */
export function sessionValidityMs(client: ClientRecord): number {
  const minutes = client.settings.AuthSessionValidity;
  return (typeof minutes === "number" && minutes >= 3 ? minutes : 3) * 60_000;
}
