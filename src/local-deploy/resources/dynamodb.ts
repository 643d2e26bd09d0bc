// AWS::DynamoDB::Table on the edge's embedded DynamoDB: CreateTable/UpdateTable/DeleteTable as CloudFormation calls them.
import {
  type AttributeDefinition,
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type BillingMode,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type GlobalSecondaryIndexUpdate,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type Projection,
  type ProvisionedThroughput,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  type ScanCommandOutput,
  type TableDescription,
  type Tag,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { waitForTableActive, waitForTableGone } from "../../dynamodb/wait.js";
import {
  type ResourceContext,
  ResourceError,
  type ResourceHandler,
  type ResourceHandlers,
} from "../types.js";

/** Properties that are accepted and kept in the stack, but change nothing in the local engine. */
const RECORDED_ONLY = [
  "SSESpecification",
  "PointInTimeRecoverySpecification",
  "ContributorInsightsSpecification",
  "KinesisStreamSpecification",
  "TableClass",
  "ResourcePolicy",
  "OnDemandThroughput",
  "WarmThroughput",
  "ImportSourceSpecification",
] as const;

/** Changing any of these replaces the table in CloudFormation. */
const REPLACEMENT_PROPERTIES = [
  "TableName",
  "KeySchema",
  "LocalSecondaryIndexes",
  "ImportSourceSpecification",
];

function client(ctx: ResourceContext): DynamoDBClient {
  // The engine does not check signatures; the SDK still needs credentials to sign with.
  return new DynamoDBClient({
    endpoint: ctx.server.url,
    region: ctx.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

function tableArn(name: string, ctx: ResourceContext): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
}

/** `<stack>-<logicalId>-<13 random upper-case alphanumerics>`, CloudFormation's pattern, within 255. */
function generatedName(ctx: ResourceContext): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let suffix = "";
  for (let i = 0; i < 13; i++) suffix += alphabet[ctx.server.deps.random.int(alphabet.length)];
  const prefix = `${ctx.stackName}-${ctx.logicalId}`.slice(0, 255 - 14);
  return `${prefix}-${suffix}`;
}

function fail(ctx: ResourceContext, message: string): never {
  throw new ResourceError(ctx.logicalId, message);
}

function list(value: unknown, name: string, ctx: ResourceContext): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "object" || item === null))
    fail(ctx, `Property ${name} must be a list of objects.`);
  return value as Record<string, unknown>[];
}

/** CloudFormation accepts numbers as strings (they often come out of Fn::Sub or parameters). */
function num(value: unknown, name: string, ctx: ResourceContext): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
    fail(ctx, `Property ${name} must be a positive integer.`);
  return n;
}

function throughput(value: unknown, name: string, ctx: ResourceContext): ProvisionedThroughput | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) fail(ctx, `Property ${name} must be an object.`);
  const t = value as Record<string, unknown>;
  return {
    ReadCapacityUnits: num(t.ReadCapacityUnits, `${name}.ReadCapacityUnits`, ctx),
    WriteCapacityUnits: num(t.WriteCapacityUnits, `${name}.WriteCapacityUnits`, ctx),
  };
}

function keySchema(value: unknown, name: string, ctx: ResourceContext): KeySchemaElement[] {
  const keys = list(value, name, ctx);
  if (keys.length === 0) fail(ctx, `Property ${name} is required.`);
  return keys.map((key) => ({
    AttributeName: String(key.AttributeName),
    KeyType: String(key.KeyType) as KeySchemaElement["KeyType"],
  }));
}

function projection(value: unknown): Projection {
  const p = (value ?? {}) as Record<string, unknown>;
  return {
    ...(p.ProjectionType !== undefined
      ? { ProjectionType: String(p.ProjectionType) as Projection["ProjectionType"] }
      : {}),
    ...(Array.isArray(p.NonKeyAttributes) ? { NonKeyAttributes: p.NonKeyAttributes.map(String) } : {}),
  };
}

function billingMode(properties: Record<string, unknown>): BillingMode {
  return properties.BillingMode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED";
}

function gsis(properties: Record<string, unknown>, ctx: ResourceContext): GlobalSecondaryIndex[] {
  const provisioned = billingMode(properties) === "PROVISIONED";
  return list(properties.GlobalSecondaryIndexes, "GlobalSecondaryIndexes", ctx).map((index, i) => {
    const t = throughput(
      index.ProvisionedThroughput,
      `GlobalSecondaryIndexes[${i}].ProvisionedThroughput`,
      ctx,
    );
    if (provisioned && !t)
      fail(
        ctx,
        `GlobalSecondaryIndexes[${i}].ProvisionedThroughput is required when BillingMode is PROVISIONED.`,
      );
    return {
      IndexName: String(index.IndexName),
      KeySchema: keySchema(index.KeySchema, `GlobalSecondaryIndexes[${i}].KeySchema`, ctx),
      Projection: projection(index.Projection),
      ...(provisioned && t ? { ProvisionedThroughput: t } : {}),
    };
  });
}

function lsis(properties: Record<string, unknown>, ctx: ResourceContext): LocalSecondaryIndex[] {
  return list(properties.LocalSecondaryIndexes, "LocalSecondaryIndexes", ctx).map((index, i) => ({
    IndexName: String(index.IndexName),
    KeySchema: keySchema(index.KeySchema, `LocalSecondaryIndexes[${i}].KeySchema`, ctx),
    Projection: projection(index.Projection),
  }));
}

function tags(properties: Record<string, unknown>, ctx: ResourceContext): Tag[] {
  return list(properties.Tags, "Tags", ctx).map((tag) => ({
    Key: String(tag.Key),
    Value: String(tag.Value ?? ""),
  }));
}

function createInput(
  name: string,
  properties: Record<string, unknown>,
  ctx: ResourceContext,
): CreateTableCommandInput {
  const mode = billingMode(properties);
  const table = throughput(properties.ProvisionedThroughput, "ProvisionedThroughput", ctx);
  if (mode === "PROVISIONED" && !table)
    fail(ctx, "ProvisionedThroughput is required when BillingMode is PROVISIONED (the default).");
  const global = gsis(properties, ctx);
  const local = lsis(properties, ctx);
  return {
    TableName: name,
    AttributeDefinitions: list(properties.AttributeDefinitions, "AttributeDefinitions", ctx).map(
      (a): AttributeDefinition => ({
        AttributeName: String(a.AttributeName),
        AttributeType: String(a.AttributeType) as AttributeDefinition["AttributeType"],
      }),
    ),
    KeySchema: keySchema(properties.KeySchema, "KeySchema", ctx),
    BillingMode: mode,
    ...(mode === "PROVISIONED" && table ? { ProvisionedThroughput: table } : {}),
    ...(global.length > 0 ? { GlobalSecondaryIndexes: global } : {}),
    ...(local.length > 0 ? { LocalSecondaryIndexes: local } : {}),
  };
}

/** Warnings for what the local engine does not do; the properties stay in the stack. */
function warnUnsupported(properties: Record<string, unknown>, ctx: ResourceContext): void {
  if (properties.StreamSpecification !== undefined)
    ctx.warn(
      `${ctx.logicalId}: StreamSpecification is recorded (StreamArn is set) but no stream records are produced locally.`,
    );
  if (properties.TimeToLiveSpecification !== undefined)
    ctx.warn(`${ctx.logicalId}: TimeToLiveSpecification is recorded; items are not expired locally.`);
  for (const name of RECORDED_ONLY)
    if (properties[name] !== undefined)
      ctx.warn(`${ctx.logicalId}: ${name} is recorded and has no local effect.`);
}

function result(
  name: string,
  table: TableDescription,
  properties: Record<string, unknown>,
  ctx: ResourceContext,
) {
  const arn = tableArn(name, ctx);
  const attributes: Record<string, unknown> = { Arn: arn };
  if (properties.StreamSpecification !== undefined) {
    // The label is the table's creation time, so it stays the same across `up` runs, as a stream's does.
    const created = table.CreationDateTime ?? new Date(0);
    attributes.StreamArn = `${arn}/stream/${created.toISOString().slice(0, 23)}`;
  }
  return { physicalId: name, attributes };
}

async function applyTags(
  db: DynamoDBClient,
  name: string,
  wanted: Tag[],
  previous: Tag[],
  ctx: ResourceContext,
) {
  const keep = new Set(wanted.map((tag) => tag.Key));
  const removed = previous.map((tag) => tag.Key ?? "").filter((key) => !keep.has(key));
  if (removed.length > 0)
    await db.send(new UntagResourceCommand({ ResourceArn: tableArn(name, ctx), TagKeys: removed }));
  if (wanted.length > 0)
    await db.send(new TagResourceCommand({ ResourceArn: tableArn(name, ctx), Tags: wanted }));
}

async function create(properties: Record<string, unknown>, ctx: ResourceContext) {
  const name = typeof properties.TableName === "string" ? properties.TableName : generatedName(ctx);
  const input = createInput(name, properties, ctx);
  warnUnsupported(properties, ctx);
  const db = client(ctx);
  try {
    try {
      await db.send(new CreateTableCommand(input));
    } catch (error) {
      // A table kept in the data dir (an earlier `up`, a Retain policy) is adopted, items and all.
      if (!(error instanceof ResourceInUseException)) throw error;
      ctx.warn(`${ctx.logicalId}: table ${name} already exists in the local engine; adopted with its items.`);
    }
    const table = await waitForTableActive(db, name);
    await applyTags(db, name, tags(properties, ctx), [], ctx);
    return result(name, table, properties, ctx);
  } catch (error) {
    if (error instanceof ResourceError) throw error;
    fail(ctx, error instanceof Error ? error.message : String(error));
  } finally {
    db.destroy();
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function needsReplacement(properties: Record<string, unknown>, previous: Record<string, unknown>): boolean {
  return REPLACEMENT_PROPERTIES.some((name) => !same(properties[name], previous[name]));
}

function indexShape(index: GlobalSecondaryIndex) {
  return { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection };
}

/**
 * Adding, removing or reshaping a global index is done by rebuilding the table with its items: the
 * local engine (dynalite) validates GlobalSecondaryIndexUpdates Create/Delete but does not apply them.
 */
function needsRebuild(
  properties: Record<string, unknown>,
  previous: Record<string, unknown>,
  ctx: ResourceContext,
) {
  const wanted = gsis(properties, ctx);
  const had = gsis(previous, ctx);
  if (!same(wanted.map(indexShape), had.map(indexShape))) return true;
  // Switching billing mode with indexes needs every index's throughput in the same call; rebuilding is simpler.
  return wanted.length > 0 && billingMode(properties) !== billingMode(previous);
}

async function rebuild(
  db: DynamoDBClient,
  name: string,
  properties: Record<string, unknown>,
  ctx: ResourceContext,
) {
  const input = createInput(name, properties, ctx);
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page: ScanCommandOutput = await db.send(
      new ScanCommand({ TableName: name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  await db.send(new DeleteTableCommand({ TableName: name }));
  await waitForTableGone(db, name);
  await db.send(new CreateTableCommand(input));
  await waitForTableActive(db, name);
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, WriteRequest[]> | undefined = {
      [name]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })),
    };
    while (requests && Object.keys(requests).length > 0) {
      const written: BatchWriteItemCommandOutput = await db.send(
        new BatchWriteItemCommand({ RequestItems: requests }),
      );
      requests = written.UnprocessedItems;
    }
  }
  ctx.warn(
    `${ctx.logicalId}: table ${name} was rebuilt with its ${items.length} items to change its indexes.`,
  );
}

/** Throughput of the table and its unchanged global indexes, through UpdateTable. */
async function updateThroughput(
  db: DynamoDBClient,
  name: string,
  properties: Record<string, unknown>,
  previous: Record<string, unknown>,
  ctx: ResourceContext,
) {
  const mode = billingMode(properties);
  const wanted = throughput(properties.ProvisionedThroughput, "ProvisionedThroughput", ctx);
  if (
    mode !== billingMode(previous) ||
    (mode === "PROVISIONED" && !same(wanted, throughput(previous.ProvisionedThroughput, "", ctx)))
  ) {
    await db.send(
      new UpdateTableCommand({
        TableName: name,
        BillingMode: mode,
        ...(mode === "PROVISIONED" && wanted ? { ProvisionedThroughput: wanted } : {}),
      }),
    );
    await waitForTableActive(db, name);
  }
  const had = new Map(gsis(previous, ctx).map((index) => [index.IndexName, index]));
  for (const index of gsis(properties, ctx)) {
    const before = had.get(index.IndexName);
    if (!index.ProvisionedThroughput || same(index.ProvisionedThroughput, before?.ProvisionedThroughput))
      continue;
    const update: GlobalSecondaryIndexUpdate = {
      Update: { IndexName: index.IndexName, ProvisionedThroughput: index.ProvisionedThroughput },
    };
    await db.send(new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [update] }));
    await waitForTableActive(db, name);
  }
}

async function update(
  physicalId: string,
  properties: Record<string, unknown>,
  previous: Record<string, unknown>,
  ctx: ResourceContext,
) {
  if (needsReplacement(properties, previous)) {
    const name = typeof properties.TableName === "string" ? properties.TableName : undefined;
    // CloudFormation's own refusal: the replacement would need the name the old table still holds.
    if (name === physicalId)
      fail(
        ctx,
        `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${name} and update the stack again.`,
      );
    return create(properties, ctx);
  }
  warnUnsupported(properties, ctx);
  const db = client(ctx);
  try {
    // Validates the new properties before anything changes.
    createInput(physicalId, properties, ctx);
    if (needsRebuild(properties, previous, ctx)) {
      await rebuild(db, physicalId, properties, ctx);
      await applyTags(db, physicalId, tags(properties, ctx), [], ctx);
    } else {
      await updateThroughput(db, physicalId, properties, previous, ctx);
      if (!same(properties.Tags, previous.Tags))
        await applyTags(db, physicalId, tags(properties, ctx), tags(previous, ctx), ctx);
    }
    const table = await waitForTableActive(db, physicalId);
    return result(physicalId, table, properties, ctx);
  } catch (error) {
    if (error instanceof ResourceError) throw error;
    fail(ctx, error instanceof Error ? error.message : String(error));
  } finally {
    db.destroy();
  }
}

async function remove(physicalId: string, properties: Record<string, unknown>, ctx: ResourceContext) {
  if (properties.DeletionProtectionEnabled === true || properties.DeletionProtectionEnabled === "true")
    fail(ctx, `Table ${physicalId} can't be deleted since deletion protection is enabled.`);
  const db = client(ctx);
  try {
    await db.send(new DeleteTableCommand({ TableName: physicalId }));
    await waitForTableGone(db, physicalId);
  } catch (error) {
    // Already gone (deleted by hand, or a failed create): CloudFormation treats that as deleted.
    if (error instanceof ResourceNotFoundException) return;
    fail(ctx, error instanceof Error ? error.message : String(error));
  } finally {
    db.destroy();
  }
}

export const tableHandler: ResourceHandler = { create, update, delete: remove };

export const dynamodbHandlers: ResourceHandlers = { "AWS::DynamoDB::Table": tableHandler };
