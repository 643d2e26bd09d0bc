// AWS::IAM::Role, Policy and ManagedPolicy: recorded (names and ARNs for references); the edge does not enforce IAM.
import { createHash } from "node:crypto";
import type { ResourceContext, ResourceHandler, ResourceHandlers } from "../types.js";
import { generatedName, optionalString, partitionOf, warnOnce } from "./physical-names.js";

const NOT_ENFORCED =
  "IAM resources are recorded, not enforced: local handlers may call every local API whatever their role allows";

/** IAM paths are `/` or `/a/b/`; the ARN is `...:role<path><name>`. */
function pathOf(properties: Record<string, unknown>, ctx: ResourceContext): string {
  const path = optionalString(properties, "Path", ctx) ?? "/";
  return path.endsWith("/") ? path : `${path}/`;
}

const iamArn = (ctx: ResourceContext, kind: string, path: string, name: string) =>
  `arn:${partitionOf(ctx.region)}:iam::${ctx.accountId}:${kind}${path}${name}`;

/**
 * An IAM-style unique id (`AROA...` for roles, `ANPA...` for managed policies), derived from the ARN so
 * an update that keeps the resource keeps its id.
 */
function uniqueId(arn: string, prefix: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let id = prefix;
  for (const byte of createHash("sha256").update(arn).digest().subarray(0, 17))
    id += alphabet[byte % alphabet.length];
  return id;
}

function roleResult(ctx: ResourceContext, properties: Record<string, unknown>, name: string) {
  const arn = iamArn(ctx, "role", pathOf(properties, ctx), name);
  return { physicalId: name, attributes: { Arn: arn, RoleId: uniqueId(arn, "AROA") } };
}

export const roleHandler: ResourceHandler = {
  async create(properties, ctx) {
    warnOnce(ctx, "iam", NOT_ENFORCED);
    return roleResult(ctx, properties, optionalString(properties, "RoleName", ctx) ?? generatedName(ctx));
  },
  async update(physicalId, properties, previous, ctx) {
    // A new RoleName or Path replaces the role; anything else (policies, trust) changes it in place.
    const name = optionalString(properties, "RoleName", ctx) ?? physicalId;
    const samePath = pathOf(properties, ctx) === pathOf(previous, ctx);
    if (name === physicalId && samePath) return roleResult(ctx, properties, name);
    return roleHandler.create(properties, ctx);
  },
  async delete() {},
};

/** An inline policy: CloudFormation's Ref is a generated id; nothing else can be read. */
export const policyHandler: ResourceHandler = {
  async create(_properties, ctx) {
    warnOnce(ctx, "iam", NOT_ENFORCED);
    return { physicalId: generatedName(ctx), attributes: {} };
  },
  async update(physicalId) {
    return { physicalId, attributes: {} };
  },
  async delete() {},
};

/** A managed policy: Ref is its ARN. */
export const managedPolicyHandler: ResourceHandler = {
  async create(properties, ctx) {
    warnOnce(ctx, "iam", NOT_ENFORCED);
    const name = optionalString(properties, "ManagedPolicyName", ctx) ?? generatedName(ctx, 128);
    const arn = iamArn(ctx, "policy", pathOf(properties, ctx), name);
    return { physicalId: arn, attributes: { PolicyArn: arn, PolicyId: uniqueId(arn, "ANPA") } };
  },
  async update(physicalId, properties, previous, ctx) {
    const same =
      optionalString(properties, "ManagedPolicyName", ctx) ===
        optionalString(previous, "ManagedPolicyName", ctx) &&
      pathOf(properties, ctx) === pathOf(previous, ctx);
    if (same)
      return { physicalId, attributes: { PolicyArn: physicalId, PolicyId: uniqueId(physicalId, "ANPA") } };
    return managedPolicyHandler.create(properties, ctx);
  },
  async delete() {},
};

export const iamHandlers: ResourceHandlers = {
  "AWS::IAM::Role": roleHandler,
  "AWS::IAM::Policy": policyHandler,
  "AWS::IAM::ManagedPolicy": managedPolicyHandler,
};
