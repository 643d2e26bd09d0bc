// Users: finding one by any name it answers to, the keys that must stay unique, attribute checks, wire shapes.

import type { PoolRecord, UserRecord } from "../../store/model.js";
import { type StoredUser, type StoreTx, UniqueViolation, type UserKeys } from "../../store/port.js";
import { aliasExists, invalidParameter, MESSAGES, userNotFound, usernameExists } from "../errors.js";
import { epochSeconds } from "./epoch-seconds.js";
import { aliasAttributes, caseSensitive, usernameAttributes } from "./pools.js";
import {
  attributeNameOf,
  EMAIL_PATTERN,
  PHONE_PATTERN,
  type SchemaAttribute,
  STANDARD_ATTRIBUTES,
  VERIFIED_FLAGS,
} from "./schema.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How `value` of `attribute` is compared in this pool (lookups, uniqueness, ListUsers). */
export function normalise(pool: PoolRecord, attribute: string, value: string): string {
  if (attribute === "phone_number" || attribute === "sub" || attribute === "status") return value;
  if (attribute === "username" || attribute === "preferred_username" || attribute === "email")
    return caseSensitive(pool) ? value : value.toLowerCase();
  return value.toLowerCase();
}

export const aliasKey = (pool: PoolRecord, attribute: string, value: string) =>
  `${attribute}:${normalise(pool, attribute, value)}`;

/** The sign-in names a user holds besides the username (unique within the pool). */
export function userKeys(pool: PoolRecord, user: UserRecord): UserKeys {
  const aliasKeys: string[] = [];
  const attrs = user.attributes;
  for (const attribute of usernameAttributes(pool)) {
    const value = attrs[attribute];
    if (value) aliasKeys.push(aliasKey(pool, attribute, value));
  }
  for (const attribute of aliasAttributes(pool)) {
    const value = attrs[attribute];
    if (!value) continue;
    const flag = VERIFIED_FLAGS[attribute];
    // Email and phone sign a user in only once verified; preferred_username always does.
    if (flag && attrs[flag] !== "true") continue;
    aliasKeys.push(aliasKey(pool, attribute, value));
  }
  return { usernameKey: normalise(pool, "username", user.username), aliasKeys };
}

/**
 * How ListUsers compares a filterable attribute: case-insensitively except `username` (the pool's
 * CaseSensitive setting), `status` and `sub`. Email is case-insensitive here even in case-sensitive
 * pools, as Cognito's search is reported to be.
 */
export function indexValue(pool: PoolRecord, attribute: string, value: string): string {
  if (attribute === "username") return normalise(pool, "username", value);
  if (attribute === "status" || attribute === "sub") return value;
  return value.toLowerCase();
}

/** ListUsers' filterable attributes with their normalised values. */
export function userIndex(pool: PoolRecord, user: UserRecord): Record<string, string> {
  const index: Record<string, string> = {
    username: indexValue(pool, "username", user.username),
    sub: user.sub,
    "cognito:user_status": indexValue(pool, "cognito:user_status", user.status),
    status: user.enabled ? "Enabled" : "Disabled",
  };
  for (const attribute of [
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
  ]) {
    const value = user.attributes[attribute];
    if (value !== undefined) index[attribute] = indexValue(pool, attribute, value);
  }
  return index;
}

/**
 * Finds a user by what a caller typed: the username, a sign-in alias (verified alias or username
 * attribute), or the `sub`.
 */
export async function findUser(tx: StoreTx, pool: PoolRecord, name: string): Promise<StoredUser | undefined> {
  const byName = await tx.getUserByKey(pool.id, normalise(pool, "username", name));
  if (byName) return byName;
  const candidates = new Set([...usernameAttributes(pool), ...aliasAttributes(pool)]);
  for (const attribute of candidates) {
    const found = await tx.getUserByAlias(pool.id, aliasKey(pool, attribute, name));
    if (found) return found;
  }
  if (UUID.test(name)) return tx.getUserBySub(pool.id, name.toLowerCase());
  return undefined;
}

export async function requireUser(tx: StoreTx, pool: PoolRecord, name: string): Promise<UserRecord> {
  const found = await findUser(tx, pool, name);
  if (!found) throw userNotFound(MESSAGES.userNotFound);
  return found.user;
}

/** Inserts a new user; a taken username or alias becomes Cognito's error. */
export async function insertUser(tx: StoreTx, pool: PoolRecord, user: UserRecord): Promise<void> {
  try {
    await tx.insertUser(user, userKeys(pool, user), userIndex(pool, user));
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    throw uniqueError(pool, error);
  }
}

/** Saves changes to an existing user; an alias held by someone else is AliasExistsException. */
export async function updateUser(tx: StoreTx, pool: PoolRecord, user: UserRecord): Promise<void> {
  try {
    await tx.updateUser(user, userKeys(pool, user), userIndex(pool, user));
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    throw uniqueError(pool, error);
  }
}

function uniqueError(pool: PoolRecord, violation: UniqueViolation) {
  const attribute = violation.attribute ?? "username";
  if (violation.kind === "username") return usernameExists("User already exists");
  if (usernameAttributes(pool).includes(attribute))
    return usernameExists(
      attribute === "email"
        ? "An account with the given email already exists."
        : "An account with the given phone_number already exists.",
    );
  return aliasExists(
    `An account with the given ${attribute === "phone_number" ? "phone_number" : attribute} already exists.`,
  );
}

export interface AttributeInput {
  Name: string;
  Value?: string | undefined;
}

/** The pool's schema entries by real attribute name (standard ones and custom:/dev:custom: ones). */
export function schemaOf(pool: PoolRecord): Map<string, Partial<SchemaAttribute>> {
  const entries = (pool.settings.SchemaAttributes as SchemaAttribute[] | undefined) ?? STANDARD_ATTRIBUTES;
  return new Map(entries.map((entry) => [attributeNameOf(entry), entry]));
}

export interface AttributeRules {
  /** Admin APIs may set `*_verified`; self-service ones may not. */
  admin: boolean;
  /** At creation required attributes must be present and immutable ones may be set. */
  creating: boolean;
}

/**
 * Checks attributes against the pool's schema with Cognito's messages and returns them as a map.
 * A missing Value deletes the attribute on update (returned as undefined).
 */
export function checkAttributes(
  pool: PoolRecord,
  input: readonly AttributeInput[],
  rules: AttributeRules,
): Record<string, string | undefined> {
  const schema = schemaOf(pool);
  const out: Record<string, string | undefined> = {};
  const problems: string[] = [];
  for (const { Name, Value } of input) {
    const entry = schema.get(Name);
    if (Name === "sub") {
      problems.push(`${Name}: Attribute cannot be updated.`);
      continue;
    }
    if (!entry) {
      problems.push(`${Name}: Attribute does not exist in the schema.`);
      continue;
    }
    if (!rules.admin && (Name === "email_verified" || Name === "phone_number_verified")) {
      problems.push(`${Name}: Attribute cannot be updated.`);
      continue;
    }
    if (!rules.creating && entry.Mutable === false) {
      problems.push(`${Name}: Attribute cannot be updated. (changing an immutable attribute)`);
      continue;
    }
    const value = Value ?? "";
    if (Name === "email" && value !== "" && !EMAIL_PATTERN.test(value))
      throw invalidParameter("Invalid email address format.");
    if (Name === "phone_number" && value !== "" && !PHONE_PATTERN.test(value))
      throw invalidParameter("Invalid phone number format.");
    if (
      (Name === "email_verified" || Name === "phone_number_verified") &&
      value !== "true" &&
      value !== "false"
    )
      problems.push(`${Name}: Attribute value must be "true" or "false".`);
    const max = Number(entry.StringAttributeConstraints?.MaxLength ?? 2048);
    if (value.length > max) problems.push(`${Name}: String must be no longer than ${max} characters`);
    out[Name] = Value;
  }
  if (rules.creating) {
    for (const [name, entry] of schema) {
      if (entry.Required && name !== "sub" && !out[name])
        problems.push(`${name}: The attribute ${name} is required`);
    }
  }
  if (problems.length > 0)
    throw invalidParameter(`Attributes did not conform to the schema: ${problems.join(", ")}`);
  return out;
}

/** `[{Name, Value}]` with `sub` first, as Cognito lists user attributes. */
export function attributesWire(
  user: UserRecord,
  only?: readonly string[],
): { Name: string; Value: string }[] {
  const all = [
    { Name: "sub", Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ];
  return only ? all.filter((a) => only.includes(a.Name)) : all;
}

/** The `UserType` of ListUsers / AdminCreateUser (`Attributes`) — AdminGetUser uses `UserAttributes`. */
export function userWire(
  user: UserRecord,
  attributesKey: "Attributes" | "UserAttributes" = "Attributes",
  only?: readonly string[],
) {
  return {
    Username: user.username,
    [attributesKey]: attributesWire(user, only),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.lastModifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** The `userAttributes` map of a trigger event: strings only, with `sub` and `cognito:user_status`. */
export function triggerAttributes(user: UserRecord): Record<string, string> {
  return { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
}
