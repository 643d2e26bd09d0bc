// `cognito-triggers outbox`: the messages a local pool would have sent (codes, temporary passwords).
import { resolve } from "node:path";
import { outboxFor, outboxJson } from "../../server/domain/outbox.js";
import { openStore } from "../../server/store/index.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "../io.js";
import { parseOrExit } from "./options.js";

export const OUTBOX_USAGE = `Usage: cognito-triggers outbox [--pool userPoolId] [--user name] [--data dir] [--json]

Lists the messages the local pools would have sent, oldest first, from the data directory of
"cognito-triggers serve" (default .cognito-triggers/). --user matches the username, an alias
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
      json: { type: "boolean" },
    },
    OUTBOX_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const dataDir = resolve(io.cwd, (values.data as string | undefined) ?? ".cognito-triggers");
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ dataDir });
  } catch (error) {
    io.stderr(`error: cannot open ${dataDir}: ${(error as Error).message}\n`);
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
