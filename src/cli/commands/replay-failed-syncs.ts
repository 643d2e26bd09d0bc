// `cognito-triggers replay-failed-syncs`: posts the user syncs saved in the FailedSyncs table again, deleting each one delivered.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { replayFailedSyncs } from "../../workflows/replay.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { parseOrExit } from "./options.js";

export const REPLAY_USAGE = `Usage: cognito-triggers replay-failed-syncs --table name [--user-service url] [--url edge | --aws] [--region r]

Replays the user syncs the PostConfirmation handler could not deliver: each item of the FailedSyncs
table is posted to <user-service>/api/v1/users again and deleted once accepted. --user-service
defaults to $USER_SERVICE_URL, the API key to $USER_SERVICE_API_KEY. The table is read from the local
edge (--url, default http://127.0.0.1:9339) or, with --aws, from DynamoDB with the default credentials.
`;

export async function replayFailedSyncsCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(
    argv,
    {
      table: { type: "string" },
      "user-service": { type: "string" },
      url: { type: "string" },
      aws: { type: "boolean" },
    },
    REPLAY_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const table = values.table as string | undefined;
  const userServiceUrl = (values["user-service"] as string | undefined) ?? io.env.USER_SERVICE_URL;
  if (!table || !userServiceUrl) {
    io.stderr(`error: --table and --user-service (or USER_SERVICE_URL) are required\n\n${REPLAY_USAGE}`);
    return EXIT_USAGE;
  }
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? "us-east-1";
  const dynamodb = values.aws
    ? new DynamoDBClient({ region })
    : new DynamoDBClient({
        region,
        endpoint: (values.url as string | undefined) ?? "http://127.0.0.1:9339",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
  try {
    const result = await replayFailedSyncs({
      dynamodb,
      tableName: table,
      userServiceUrl,
      apiKey: io.env.USER_SERVICE_API_KEY || undefined,
      log: (line) => io.stdout(`${line}\n`),
    });
    io.stdout(`Replayed ${result.replayed.length}, still failing ${result.failed.length}.\n`);
    return result.failed.length === 0 ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    dynamodb.destroy();
  }
}
