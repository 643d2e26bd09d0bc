// `cognito-triggers outbox`: the messages a local pool would have sent (codes, temporary passwords).
import { resolve } from "node:path";
import { outboxFor, outboxJson } from "../../cognito/domain/outbox.js";
import { openStore } from "../../store/index.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { parseOrExit } from "./options.js";
import { databaseUrlOf, redactUrl } from "./serve.js";

export const OUTBOX_USAGE = `Usage: cognito-triggers outbox [--pool userPoolId] [--user name] [--data dir | --database-url postgres://...] [--json]

Lists the messages the local pools would have sent, oldest first, from the data directory of
"cognito-triggers serve" (default .cognito-triggers/) or its PostgreSQL database (--database-url or
DATABASE_URL). --user matches the username, an alias
(email, phone_number, preferred_username) or the sub; it needs --pool. A running server also serves
them at GET /_local/outbox?userPoolId=<id>&username=<name>.
`;

export async function outboxCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(
    argv,
    {
      pool: { type: "string" },
      user: { type: "string", short: "u" },
      data: { type: "string", short: "d" },
      "database-url": { type: "string" },
      json: { type: "boolean" },
    },
    OUTBOX_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const databaseUrl = databaseUrlOf(values["database-url"] as string | undefined, io.env);
  if (typeof databaseUrl === "object") {
    io.stderr(`error: ${databaseUrl.error}\n`);
    return EXIT_USAGE;
  }
  const dataDir = resolve(io.cwd, (values.data as string | undefined) ?? ".cognito-triggers");
  const where = databaseUrl ? redactUrl(databaseUrl) : dataDir;
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(databaseUrl ? { databaseUrl } : { dataDir });
  } catch (error) {
    io.stderr(`error: cannot open ${where}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  try {
    const userPoolId = values.pool as string | undefined;
    const name = values.user as string | undefined;
    const messages = await store.transaction((tx) => outboxFor(tx, userPoolId, name));
    if (values.json) {
      io.stdout(`${JSON.stringify(outboxJson(messages), null, 2)}\n`);
    } else if (messages.length === 0) {
      io.stdout("No messages.\n");
    } else {
      for (const m of messages)
        io.stdout(
          `${new Date(m.createdAt).toISOString()}  ${m.userPoolId}  ${m.username}  ${m.reason}  ${m.medium} to ${m.destination}  code ${m.code ?? "-"}\n    ${m.subject ? `${m.subject}: ` : ""}${m.body}\n`,
        );
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
