// `cognito-triggers serve` as a process answers DynamoDB on its one port and keeps tables in --data across restarts.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForTableActive } from "../../src/dynamodb/wait.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), "ct-dynamo-serve-"));
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

interface Serving {
  child: ChildProcess;
  url: string;
}

function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

function stop(serving: Serving): Promise<number | null> {
  return new Promise((resolve) => {
    serving.child.once("exit", (code) => resolve(code));
    serving.child.kill("SIGTERM");
  });
}

describe("DynamoDB through `serve`", () => {
  it("serves DynamoDB beside Cognito and keeps its tables in the data dir", async () => {
    const first = await serve(["--data", data]);
    try {
      const db = new DynamoDBClient({ endpoint: first.url, region: "us-east-1", credentials });
      await db.send(
        new CreateTableCommand({
          TableName: "known-users",
          AttributeDefinitions: [{ AttributeName: "UserEmail", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "UserEmail", KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      await waitForTableActive(db, "known-users");
      await db.send(
        new PutItemCommand({
          TableName: "known-users",
          Item: { UserEmail: { S: "carlos@example.com" }, UserName: { S: "carlos" } },
        }),
      );
      const cognito = new CognitoIdentityProviderClient({
        endpoint: first.url,
        region: "us-east-1",
        credentials,
      });
      expect((await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools).toEqual([]);
      db.destroy();
      cognito.destroy();
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect((await stat(join(data, "dynamodb"))).isDirectory()).toBe(true);

    const second = await serve(["--data", data]);
    try {
      const db = new DynamoDBClient({ endpoint: second.url, region: "us-east-1", credentials });
      const item = await db.send(
        new GetItemCommand({ TableName: "known-users", Key: { UserEmail: { S: "carlos@example.com" } } }),
      );
      expect(item.Item?.UserName).toEqual({ S: "carlos" });
      const all = await db.send(new ScanCommand({ TableName: "known-users" }));
      expect(all.Count).toBe(1);
      db.destroy();
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});
