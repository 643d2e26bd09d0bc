// Helpers the recorded and local resource handlers share: CloudFormation's generated names, property reading, one-time warnings.
import type { RunningServer } from "../../edge/create-server.js";
import type { ResourceContext } from "../types.js";
import { ResourceError } from "../types.js";

const NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SUFFIX_LENGTH = 13;

/**
 * The name CloudFormation gives a resource without an explicit one: `<stack>-<logicalId>-<13 random>`,
 * the prefix cut so the whole fits `maxLength` (64 for functions and roles).
 */
export function generatedName(ctx: ResourceContext, maxLength = 64): string {
  const bytes = ctx.server.deps.random.bytes(SUFFIX_LENGTH);
  let suffix = "";
  for (const byte of bytes) suffix += NAME_ALPHABET[byte % NAME_ALPHABET.length];
  const prefix = `${ctx.stackName}-${ctx.logicalId}`.slice(0, maxLength - SUFFIX_LENGTH - 1);
  return `${prefix}-${suffix}`;
}

/** A string property, or undefined when absent; any other type is the template's mistake. */
export function optionalString(
  properties: Record<string, unknown>,
  key: string,
  ctx: ResourceContext,
): string | undefined {
  const value = properties[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string")
    throw new ResourceError(ctx.logicalId, `Property ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function requiredString(
  properties: Record<string, unknown>,
  key: string,
  ctx: ResourceContext,
): string {
  const value = optionalString(properties, key, ctx);
  if (value === undefined || value === "")
    throw new ResourceError(ctx.logicalId, `Property ${key} cannot be empty`);
  return value;
}

export function optionalNumber(
  properties: Record<string, unknown>,
  key: string,
  ctx: ResourceContext,
): number | undefined {
  const value = properties[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number))
    throw new ResourceError(ctx.logicalId, `Property ${key} must be a number, got ${JSON.stringify(value)}`);
  return number;
}

// A warning about a whole resource type belongs in the `up` summary once, not once per resource.
const warned = new WeakMap<RunningServer, Set<string>>();

/** Warns once per running edge for `topic` (IAM not enforced, code taken from the service directory, ...). */
export function warnOnce(ctx: ResourceContext, topic: string, message: string): void {
  let topics = warned.get(ctx.server);
  if (!topics) {
    topics = new Set();
    warned.set(ctx.server, topics);
  }
  if (topics.has(topic)) return;
  topics.add(topic);
  ctx.warn(message);
}

/** `aws`, `aws-cn` or `aws-us-gov`, as ARNs in the Region have it. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
