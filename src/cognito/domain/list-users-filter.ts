// ListUsers' Filter: `<attribute> = "<value>"` or `<attribute> ^= "<value>"`, one condition, `\` escapes.

import type { PoolRecord } from "../../store/model.js";
import type { UserFilter } from "../../store/port.js";
import { invalidParameter } from "../errors.js";
import { indexValue } from "./users.js";

/** The attributes Cognito lets ListUsers search. */
export const FILTERABLE_ATTRIBUTES: readonly string[] = [
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
];

const FILTER = /^\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

export interface ParsedFilter {
  attribute: string;
  op: "=" | "^=";
  /** The value as written, escapes removed. */
  value: string;
}

/** Parses a filter; undefined for an empty one (every user). */
export function parseFilter(text: string | undefined): ParsedFilter | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const match = FILTER.exec(text);
  if (!match) throw invalidParameter("Error while parsing filter");
  const [, attribute = "", op, raw = ""] = match;
  if (!FILTERABLE_ATTRIBUTES.includes(attribute))
    throw invalidParameter(`Invalid search attribute: ${attribute}`);
  return { attribute, op: op === "^=" ? "^=" : "=", value: raw.replace(/\\(.)/gs, "$1") };
}

/** The filter as the store compares it: the value normalised as the store's index values are. */
export function storeFilter(pool: PoolRecord, filter: ParsedFilter): UserFilter {
  return {
    attribute: filter.attribute,
    op: filter.op,
    value: indexValue(pool, filter.attribute, filter.value),
  };
}
