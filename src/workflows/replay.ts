// Replays the syncs the PostConfirmation handler could not deliver: POST each saved user again, delete it once accepted.
import { DeleteItemCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

export interface ReplayOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  userServiceUrl: string;
  apiKey?: string | undefined;
  fetch?: typeof fetch;
  log(line: string): void;
}

export interface ReplayResult {
  replayed: string[];
  failed: { cognitoSub: string; error: string }[];
}

export async function replayFailedSyncs(options: ReplayOptions): Promise<ReplayResult> {
  const send = options.fetch ?? fetch;
  const result: ReplayResult = { replayed: [], failed: [] };
  let startKey: Record<string, never> | undefined;
  const items: Record<string, { S?: string | undefined }>[] = [];
  do {
    const page = await options.dynamodb.send(
      new ScanCommand({ TableName: options.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as Record<string, { S?: string }>[]));
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
  if (items.length === 0) options.log(`No failed syncs in ${options.tableName}.`);
  for (const item of items) {
    const cognitoSub = item.CognitoSub?.S ?? "";
    const payload = item.Payload?.S ?? "{}";
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.apiKey) headers["x-api-key"] = options.apiKey;
    let error: string | undefined;
    try {
      const response = await send(`${options.userServiceUrl.replace(/\/+$/, "")}/api/v1/users`, {
        method: "POST",
        headers,
        body: payload,
      });
      if (!response.ok && response.status !== 409) error = `HTTP ${response.status}`;
    } catch (caught) {
      error = (caught as Error).message;
    }
    if (error !== undefined) {
      result.failed.push({ cognitoSub, error });
      options.log(`Replay of ${cognitoSub} failed (${error}); it stays in ${options.tableName}.`);
      continue;
    }
    // Deleted only once the service has the user: a crash in between replays it again, which is idempotent.
    await options.dynamodb.send(
      new DeleteItemCommand({ TableName: options.tableName, Key: { CognitoSub: { S: cognitoSub } } }),
    );
    result.replayed.push(cognitoSub);
    options.log(`Replayed the sync of ${cognitoSub} and removed it from ${options.tableName}.`);
  }
  return result;
}
