// Reading a pool's settings: the pool must exist, and its settings decide usernames, aliases and policies.

import type { ServerConfig } from "../../shared/config.js";
import type { PoolRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { poolNotFound } from "../errors.js";

export async function loadPool(tx: StoreTx, poolId: string): Promise<PoolRecord> {
  const pool = await tx.getPool(poolId);
  if (!pool) throw poolNotFound(poolId);
  return pool;
}

/** The part of the pool id after the underscore: SRP's "pool name". */
export function poolShortName(poolId: string): string {
  return poolId.slice(poolId.indexOf("_") + 1);
}

export function poolArn(config: ServerConfig, poolId: string): string {
  return `arn:aws:cognito-idp:${config.region}:${config.accountId}:userpool/${poolId}`;
}

export function issuerOf(config: ServerConfig, poolId: string): string {
  return `${config.issuerBase}/${poolId}`;
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** `UsernameAttributes`: email and/or phone_number are the sign-in name (the username is a UUID). */
export const usernameAttributes = (pool: PoolRecord): string[] => list(pool.settings.UsernameAttributes);

/** `AliasAttributes`: verified email / phone and preferred_username also sign a user in. */
export const aliasAttributes = (pool: PoolRecord): string[] => list(pool.settings.AliasAttributes);

export const autoVerifiedAttributes = (pool: PoolRecord): string[] =>
  list(pool.settings.AutoVerifiedAttributes);

/** `UsernameConfiguration.CaseSensitive` defaults to true through the API. */
export function caseSensitive(pool: PoolRecord): boolean {
  const config = pool.settings.UsernameConfiguration as { CaseSensitive?: boolean } | undefined;
  return config?.CaseSensitive !== false;
}

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
  TemporaryPasswordValidityDays?: number;
  PasswordHistorySize?: number;
}

export function passwordPolicy(pool: PoolRecord): PasswordPolicy {
  const policies = pool.settings.Policies as { PasswordPolicy?: PasswordPolicy } | undefined;
  return policies?.PasswordPolicy ?? {};
}

export function lambdaConfig(pool: PoolRecord): Record<string, unknown> | undefined {
  return pool.settings.LambdaConfig as Record<string, unknown> | undefined;
}

/** Days a temporary password stays valid (0 or absent: Cognito's default of 7). */
export function temporaryPasswordValidityDays(pool: PoolRecord): number {
  const days = passwordPolicy(pool).TemporaryPasswordValidityDays;
  return days && days > 0 ? days : 7;
}
