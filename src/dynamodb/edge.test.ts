// The edge answers DynamoDB through the AWS SDK on the same port as Cognito, persisted across restarts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../edge/create-server.js";
import { createDynamoDbEngine } from "./edge.js";
import { waitForTableActive } from "./wait.js";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const running: RunningServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer({ port: 0, host: "127.0.0.1", ...options });
  running.push(server);
  return server;
}

function dynamo(server: RunningServer) {
  return new DynamoDBClient({ endpoint: server.url, region: "us-east-1", credentials });
}

async function createUsersTable(client: DynamoDBClient, name = "users") {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: "UserEmail", AttributeType: "S" },
        { AttributeName: "Seq", AttributeType: "N" },
      ],
      KeySchema: [
        { AttributeName: "UserEmail", KeyType: "HASH" },
        { AttributeName: "Seq", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await waitForTableActive(client, name);
}

describe("DynamoDB on the edge", () => {
  it("answers CreateTable, PutItem, GetItem, Scan and Query beside Cognito calls on one port", async () => {
    const server = await start({ memory: true });
    const client = dynamo(server);
    await createUsersTable(client);
    await client.send(
      new PutItemCommand({
        TableName: "users",
        Item: { UserEmail: { S: "a@example.com" }, Seq: { N: "1" }, UserName: { S: "alice" } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: "users",
        Item: { UserEmail: { S: "a@example.com" }, Seq: { N: "2" }, UserName: { S: "alice2" } },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: "users",
        Item: { UserEmail: { S: "b@example.com" }, Seq: { N: "1" }, UserName: { S: "bob" } },
      }),
    );

    const got = await client.send(
      new GetItemCommand({ TableName: "users", Key: { UserEmail: { S: "b@example.com" }, Seq: { N: "1" } } }),
    );
    expect(got.Item?.UserName).toEqual({ S: "bob" });

    const scanned = await client.send(
      new ScanCommand({
        TableName: "users",
        FilterExpression: "UserName = :u",
        ExpressionAttributeValues: { ":u": { S: "alice2" } },
      }),
    );
    expect(scanned.Items?.map((item) => item.Seq?.N)).toEqual(["2"]);

    const queried = await client.send(
      new QueryCommand({
        TableName: "users",
        KeyConditionExpression: "UserEmail = :e",
        ExpressionAttributeValues: { ":e": { S: "a@example.com" } },
        ScanIndexForward: false,
      }),
    );
    expect(queried.Items?.map((item) => item.UserName?.S)).toEqual(["alice2", "alice"]);

    const cognito = new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials,
    });
    const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: "beside-dynamo" }));
    expect(pool.UserPool?.Id).toMatch(/^us-east-1_/);
    client.destroy();
    cognito.destroy();
  });

  it("reports DynamoDB's own errors (a missing table)", async () => {
    const server = await start({ memory: true });
    const client = dynamo(server);
    await expect(
      client.send(new GetItemCommand({ TableName: "nope", Key: { UserEmail: { S: "x" } } })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    client.destroy();
  });

  it("keeps tables and items across a restart on the same data dir", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ct-dynamo-"));
    dirs.push(dataDir);
    const first = await start({ dataDir });
    const client = dynamo(first);
    await createUsersTable(client, "persisted");
    await client.send(
      new PutItemCommand({
        TableName: "persisted",
        Item: { UserEmail: { S: "a@example.com" }, Seq: { N: "1" }, UserName: { S: "alice" } },
      }),
    );
    client.destroy();
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await start({ dataDir });
    const again = dynamo(second);
    const tables = await again.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain("persisted");
    const got = await again.send(
      new GetItemCommand({
        TableName: "persisted",
        Key: { UserEmail: { S: "a@example.com" }, Seq: { N: "1" } },
      }),
    );
    expect(got.Item?.UserName).toEqual({ S: "alice" });
    again.destroy();
  });

  it("keeps in-memory tables per server", async () => {
    const one = await start({ memory: true });
    await createUsersTable(dynamo(one), "only-here");
    const two = await start({ memory: true });
    const tables = await dynamo(two).send(new ListTablesCommand({}));
    expect(tables.TableNames).not.toContain("only-here");
  });

  it("closes an engine that was never used, and twice", async () => {
    const engine = createDynamoDbEngine({});
    await engine.close();
    await engine.close();
  });
});
