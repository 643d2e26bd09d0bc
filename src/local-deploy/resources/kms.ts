// AWS::KMS::Key and Alias: created through the edge's own KMS API, as CloudFormation calls KMS.
import {
  CreateAliasCommand,
  CreateKeyCommand,
  type KeySpec,
  type KeyUsageType,
  KMSClient,
} from "@aws-sdk/client-kms";
import type { ResourceContext, ResourceHandler, ResourceHandlers, ResourceResult } from "../types.js";
import { ResourceError } from "../types.js";
import { optionalString, partitionOf, requiredString } from "./physical-names.js";

/** An SDK client for the edge (it accepts any credentials). */
async function withKms<T>(ctx: ResourceContext, work: (kms: KMSClient) => Promise<T>): Promise<T> {
  const kms = new KMSClient({
    endpoint: ctx.server.url,
    region: ctx.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  try {
    return await work(kms);
  } catch (error) {
    if (error instanceof ResourceError) throw error;
    const e = error as { name?: string; message?: string };
    throw new ResourceError(ctx.logicalId, `${e.name ?? "Error"}: ${e.message ?? String(error)}`);
  } finally {
    kms.destroy();
  }
}

/** Properties KMS cannot change on an existing key: a change replaces it. */
const REPLACING = ["KeySpec", "KeyUsage", "MultiRegion", "Origin"] as const;

async function createKey(properties: Record<string, unknown>, ctx: ResourceContext): Promise<ResourceResult> {
  const out = await withKms(ctx, (kms) =>
    kms.send(
      new CreateKeyCommand({
        Description: optionalString(properties, "Description", ctx),
        KeySpec: optionalString(properties, "KeySpec", ctx) as KeySpec | undefined,
        KeyUsage: optionalString(properties, "KeyUsage", ctx) as KeyUsageType | undefined,
        MultiRegion: properties.MultiRegion === true || properties.MultiRegion === "true" ? true : undefined,
      }),
    ),
  );
  const keyId = out.KeyMetadata?.KeyId;
  const arn = out.KeyMetadata?.Arn;
  if (!keyId || !arn) throw new ResourceError(ctx.logicalId, "CreateKey answered without a key id");
  return { physicalId: keyId, attributes: { Arn: arn, KeyId: keyId } };
}

const keyArnOf = (ctx: ResourceContext, keyId: string) =>
  `arn:${partitionOf(ctx.region)}:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;

export const keyHandler: ResourceHandler = {
  create: createKey,
  async update(physicalId, properties, previous, ctx) {
    if (REPLACING.some((key) => JSON.stringify(properties[key]) !== JSON.stringify(previous[key])))
      return createKey(properties, ctx);
    if (properties.Description !== previous.Description)
      ctx.warn(
        `${ctx.logicalId}: the local KMS cannot change a key's Description; the key keeps its old one`,
      );
    return { physicalId, attributes: { Arn: keyArnOf(ctx, physicalId), KeyId: physicalId } };
  },
  async delete(_physicalId, _properties, ctx) {
    // The local KMS has no ScheduleKeyDeletion: the key stays, unused (AWS keeps it 7-30 days too).
    ctx.warn(`${ctx.logicalId}: KMS keys are not deleted locally; the key stays in the local KMS, unused`);
  },
};

async function createAlias(
  properties: Record<string, unknown>,
  ctx: ResourceContext,
): Promise<ResourceResult> {
  const name = requiredString(properties, "AliasName", ctx);
  const target = requiredString(properties, "TargetKeyId", ctx);
  await withKms(ctx, async (kms) => {
    try {
      await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: target }));
    } catch (error) {
      // The local KMS cannot delete aliases: one left by an earlier `down` is taken over as it is.
      if ((error as { name?: string }).name !== "AlreadyExistsException") throw error;
      ctx.warn(`${ctx.logicalId}: alias ${name} already exists in the local KMS and was kept as it is`);
    }
  });
  return { physicalId: name, attributes: {} };
}

export const kmsAliasHandler: ResourceHandler = {
  create: createAlias,
  async update(physicalId, properties, previous, ctx) {
    if (properties.AliasName !== previous.AliasName) return createAlias(properties, ctx);
    if (properties.TargetKeyId !== previous.TargetKeyId)
      ctx.warn(
        `${ctx.logicalId}: the local KMS cannot retarget an alias (UpdateAlias); it still names the old key`,
      );
    return { physicalId, attributes: {} };
  },
  async delete(_physicalId, _properties, ctx) {
    ctx.warn(`${ctx.logicalId}: KMS aliases are not deleted locally (no DeleteAlias in the local KMS)`);
  },
};

export const kmsHandlers: ResourceHandlers = {
  "AWS::KMS::Key": keyHandler,
  "AWS::KMS::Alias": kmsAliasHandler,
};
