// Waits for a table to reach a status: CreateTable/UpdateTable answer before the table is ACTIVE, as on AWS.
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";

/** Locally tables settle in milliseconds; the SDK's waiters would sleep 20 s between polls. */
const POLL_MS = 10;
const MAX_POLLS = 3000;

export async function waitForTableActive(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every(
        (index) => index.IndexStatus === "ACTIVE",
      );
      if (Table && Table.TableStatus === "ACTIVE" && indexesReady) return Table;
    } catch (error) {
      // Not visible yet right after CreateTable.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

export async function waitForTableGone(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`Table ${tableName} was not deleted`);
}
