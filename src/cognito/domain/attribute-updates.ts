// Changing a user's attributes: a new email or phone number is unverified until proven, and required ones stay.

import type { PoolRecord, UserRecord } from "../../store/model.js";
import { invalidParameter } from "../errors.js";
import { autoVerifiedAttributes } from "./pools.js";
import { VERIFIED_FLAGS } from "./schema.js";
import { schemaOf } from "./users.js";

export interface AttributeUpdate {
  attributes: Record<string, string>;
  /** Email / phone_number changed to a value not marked verified: a code goes there if the pool verifies it. */
  toVerify: string[];
  /** Attributes whose verification flag became true in this update (pending codes for them are void). */
  verified: string[];
}

const FLAG_OF_ATTRIBUTE = VERIFIED_FLAGS;
const ATTRIBUTE_OF_FLAG: Record<string, string> = Object.fromEntries(
  Object.entries(VERIFIED_FLAGS).map(([a, f]) => [f, a]),
);

function requiredProblem(name: string): string {
  return `Attributes did not conform to the schema: ${name}: The attribute ${name} is required`;
}

/**
 * Applies checked attribute changes (checkAttributes' output: an empty or missing value deletes) to a
 * user. Changing email or phone_number without setting its `*_verified` to "true" in the same call
 * marks it unverified, and, when the pool auto-verifies that attribute, asks for a code to be sent.
 */
export function applyAttributeUpdate(
  pool: PoolRecord,
  user: UserRecord,
  changes: Record<string, string | undefined>,
): AttributeUpdate {
  const schema = schemaOf(pool);
  const attributes = { ...user.attributes };
  const toVerify: string[] = [];
  const verified: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === "") {
      if (schema.get(name)?.Required) throw invalidParameter(requiredProblem(name));
      delete attributes[name];
      const flag = FLAG_OF_ATTRIBUTE[name];
      if (flag) delete attributes[flag];
      continue;
    }
    if (name in ATTRIBUTE_OF_FLAG) continue;
    const previous = attributes[name];
    attributes[name] = value;
    const flag = FLAG_OF_ATTRIBUTE[name];
    if (!flag || previous === value) continue;
    if (changes[flag] === "true") continue;
    attributes[flag] = "false";
    if (autoVerifiedAttributes(pool).includes(name)) toVerify.push(name);
  }
  for (const [flag, attribute] of Object.entries(ATTRIBUTE_OF_FLAG)) {
    const value = changes[flag];
    if (value === undefined || value === "") continue;
    attributes[flag] = value;
    if (value === "true" && attributes[attribute] !== undefined) verified.push(attribute);
  }
  return { attributes, toVerify, verified };
}

/** Checks names given to AdminDeleteUserAttributes / DeleteUserAttributes against the schema. */
export function checkDeletions(pool: PoolRecord, names: readonly string[]): void {
  const schema = schemaOf(pool);
  const problems: string[] = [];
  for (const name of names) {
    const entry = schema.get(name);
    if (name === "sub") problems.push(`${name}: Attribute cannot be updated.`);
    else if (!entry) problems.push(`${name}: Attribute does not exist in the schema.`);
    else if (entry.Required) problems.push(`${name}: The attribute ${name} is required`);
    else if (entry.Mutable === false)
      problems.push(`${name}: Attribute cannot be updated. (changing an immutable attribute)`);
  }
  if (problems.length > 0)
    throw invalidParameter(`Attributes did not conform to the schema: ${problems.join(", ")}`);
}

/** The user's attributes without `names` (a deleted email or phone takes its verification flag along). */
export function withoutAttributes(user: UserRecord, names: readonly string[]): Record<string, string> {
  const attributes = { ...user.attributes };
  for (const name of names) {
    delete attributes[name];
    const flag = FLAG_OF_ATTRIBUTE[name];
    if (flag) delete attributes[flag];
  }
  return attributes;
}
