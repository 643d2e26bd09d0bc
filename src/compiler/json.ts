// Small type guards for walking resolved configuration values.
import type { Json, JsonObject } from "./service-model.js";

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asObject(value: Json | undefined): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asString(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A deep copy, so that compiled fragments never share objects with the configuration. */
export function cloneJson<T extends Json>(value: T): T {
  return structuredClone(value);
}
