// The AWS::DynamoDB::Table handler against a real edge: create, update, replace, delete and adopt.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import { type ResourceContext, ResourceError } from "../types.js";
import { dynamodbHandlers, tableHandler } from "./dynamodb.js";
import { RESOURCE_HANDLERS } from "./index.js";

const running: RunningServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function setup(options: { dataDir?: string } = {}) {
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    ...(options.dataDir ? { dataDir: options.dataDir } : { memory: true }),
  });
  running.push(server);
  const warnings: string[] = [];
  const ctx: ResourceContext = {
    server,
    stackName: "svc-dev",
    region: "eu-west-1",
    accountId: "123456789012",
    logicalId: "KnownUsersTable",
    serviceDir: "/nowhere",
    warn: (message) => warnings.push(message),
  };
  const db = new DynamoDBClient({
    endpoint: server.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return { server, ctx, warnings, db };
}

const knownUsers = {
  TableName: "known-users",
  AttributeDefinitions: [{ AttributeName: "UserEmail", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "UserEmail", KeyType: "HASH" }],
  BillingMode: "PAY_PER_REQUEST",
};

describe("AWS::DynamoDB::Table", () => {
  it("is registered with the local deploy", () => {
    expect(RESOURCE_HANDLERS["AWS::DynamoDB::Table"]).toBe(tableHandler);
    expect(Object.keys(dynamodbHandlers)).toEqual(["AWS::DynamoDB::Table"]);
  });

  it("creates the table: Ref is the name, Arn in the stack's region and account", async () => {
    const { ctx, db } = await setup();
    const created = await tableHandler.create(knownUsers, ctx);
    expect(created).toEqual({
      physicalId: "known-users",
      attributes: { Arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/known-users" },
    });
    const { Table } = await db.send(new DescribeTableCommand({ TableName: "known-users" }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    await db.send(new PutItemCommand({ TableName: "known-users", Item: { UserEmail: { S: "a@x" } } }));
    db.destroy();
  });

  it("generates a CloudFormation-style name, and sets StreamArn, indexes, throughput and tags", async () => {
    const { ctx, db, warnings } = await setup();
    const created = await tableHandler.create(
      {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
          { AttributeName: "gsi", AttributeType: "S" },
          { AttributeName: "lsi", AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: "2", WriteCapacityUnits: 3 },
        GlobalSecondaryIndexes: [
          {
            IndexName: "byGsi",
            KeySchema: [{ AttributeName: "gsi", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: "byLsi",
            KeySchema: [
              { AttributeName: "pk", KeyType: "HASH" },
              { AttributeName: "lsi", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
        TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
        Tags: [{ Key: "team", Value: "auth" }],
      },
      ctx,
    );
    expect(created.physicalId).toMatch(/^svc-dev-KnownUsersTable-[A-Z0-9]{13}$/);
    expect(created.attributes.StreamArn).toMatch(
      new RegExp(
        `^arn:aws:dynamodb:eu-west-1:123456789012:table/${created.physicalId}/stream/\\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    const { Table } = await db.send(new DescribeTableCommand({ TableName: created.physicalId }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["byGsi"]);
    expect(Table?.LocalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["byLsi"]);
    const tags = await db.send(
      new ListTagsOfResourceCommand({ ResourceArn: String(created.attributes.Arn) }),
    );
    expect(tags.Tags).toEqual([{ Key: "team", Value: "auth" }]);
    expect(warnings.join("\n")).toMatch(/StreamSpecification/);
    expect(warnings.join("\n")).toMatch(/TimeToLiveSpecification/);
    db.destroy();
  });

  it("updates in place (billing mode, a new index) without losing items", async () => {
    const { ctx, db } = await setup();
    await tableHandler.create(knownUsers, ctx);
    await db.send(
      new PutItemCommand({
        TableName: "known-users",
        Item: { UserEmail: { S: "a@x" }, UserName: { S: "a" } },
      }),
    );
    const next = {
      ...knownUsers,
      AttributeDefinitions: [
        ...knownUsers.AttributeDefinitions,
        { AttributeName: "UserName", AttributeType: "S" },
      ],
      BillingMode: "PROVISIONED",
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: "byName",
          KeySchema: [{ AttributeName: "UserName", KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    };
    const updated = await tableHandler.update("known-users", next, knownUsers, ctx);
    expect(updated.physicalId).toBe("known-users");
    const { Table } = await db.send(new DescribeTableCommand({ TableName: "known-users" }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["byName"]);
    const item = await db.send(
      new GetItemCommand({ TableName: "known-users", Key: { UserEmail: { S: "a@x" } } }),
    );
    expect(item.Item?.UserName).toEqual({ S: "a" });
    db.destroy();
  });

  it("changes provisioned throughput of the table and its index with UpdateTable", async () => {
    const { ctx, db, warnings } = await setup();
    const before = {
      ...knownUsers,
      AttributeDefinitions: [
        ...knownUsers.AttributeDefinitions,
        { AttributeName: "UserName", AttributeType: "S" },
      ],
      BillingMode: "PROVISIONED",
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      GlobalSecondaryIndexes: [
        {
          IndexName: "byName",
          KeySchema: [{ AttributeName: "UserName", KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    };
    await tableHandler.create(before, ctx);
    const after = {
      ...before,
      ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        {
          ...before.GlobalSecondaryIndexes[0],
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
        },
      ],
      Tags: [{ Key: "stage", Value: "dev" }],
    };
    await tableHandler.update("known-users", after, before, ctx);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: "known-users" }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 4, WriteCapacityUnits: 2 });
    expect(Table?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3 });
    expect(warnings.join("\n")).not.toMatch(/rebuilt/);
    const tags = await db.send(
      new ListTagsOfResourceCommand({
        ResourceArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/known-users",
      }),
    );
    expect(tags.Tags).toEqual([{ Key: "stage", Value: "dev" }]);
    db.destroy();
  });

  it("replaces the table when the name or key schema changes, and refuses a custom-named replacement", async () => {
    const { ctx, db } = await setup();
    await tableHandler.create(knownUsers, ctx);
    const renamed = await tableHandler.update(
      "known-users",
      { ...knownUsers, TableName: "known-users-2" },
      knownUsers,
      ctx,
    );
    expect(renamed.physicalId).toBe("known-users-2");
    await db.send(new DescribeTableCommand({ TableName: "known-users-2" }));

    const otherKey = {
      ...knownUsers,
      TableName: "known-users-2",
      AttributeDefinitions: [{ AttributeName: "UserName", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "UserName", KeyType: "HASH" }],
    };
    await expect(
      tableHandler.update("known-users-2", otherKey, { ...knownUsers, TableName: "known-users-2" }, ctx),
    ).rejects.toThrow(/custom-named resource requires replacing/);

    const generatedBefore = { ...knownUsers, TableName: undefined };
    const generated = await tableHandler.create(generatedBefore, ctx);
    const replaced = await tableHandler.update(
      generated.physicalId,
      { ...otherKey, TableName: undefined },
      generatedBefore,
      ctx,
    );
    expect(replaced.physicalId).not.toBe(generated.physicalId);
    db.destroy();
  });

  it("deletes the table, tolerates one already gone, and honours deletion protection", async () => {
    const { ctx, db } = await setup();
    await tableHandler.create(knownUsers, ctx);
    await tableHandler.delete("known-users", knownUsers, ctx);
    await expect(db.send(new DescribeTableCommand({ TableName: "known-users" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await tableHandler.delete("known-users", knownUsers, ctx);

    const protectedTable = { ...knownUsers, DeletionProtectionEnabled: true };
    await tableHandler.create(protectedTable, ctx);
    await expect(tableHandler.delete("known-users", protectedTable, ctx)).rejects.toBeInstanceOf(
      ResourceError,
    );
    db.destroy();
  });

  it("adopts a table that survived a restart on the same data dir, items and all", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ct-dynamo-res-"));
    dirs.push(dataDir);
    const first = await setup({ dataDir });
    await tableHandler.create(knownUsers, first.ctx);
    await first.db.send(
      new PutItemCommand({ TableName: "known-users", Item: { UserEmail: { S: "kept@x" } } }),
    );
    first.db.destroy();
    await first.server.close();
    running.splice(running.indexOf(first.server), 1);

    const second = await setup({ dataDir });
    const adopted = await tableHandler.create(knownUsers, second.ctx);
    expect(adopted.physicalId).toBe("known-users");
    expect(second.warnings.join("\n")).toMatch(/adopted/);
    const item = await second.db.send(
      new GetItemCommand({ TableName: "known-users", Key: { UserEmail: { S: "kept@x" } } }),
    );
    expect(item.Item).toBeDefined();
    second.db.destroy();
  });

  it("reports invalid properties as the resource's failure", async () => {
    const { ctx } = await setup();
    await expect(tableHandler.create({ ...knownUsers, BillingMode: undefined }, ctx)).rejects.toThrow(
      /KnownUsersTable: ProvisionedThroughput is required/,
    );
    await expect(
      tableHandler.create({ ...knownUsers, KeySchema: [{ AttributeName: "Missing", KeyType: "HASH" }] }, ctx),
    ).rejects.toBeInstanceOf(ResourceError);
  });
});
