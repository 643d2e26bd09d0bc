// `cognito-triggers migrate`: applies the PostgreSQL store's schema migrations, then exits.
import { migratePostgres } from "../../store/postgres.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { parseOrExit } from "./options.js";
import { databaseUrlOf, redactUrl } from "./serve.js";

export const MIGRATE_USAGE = `Usage: cognito-triggers migrate [--database-url postgres://...]

Applies the PostgreSQL store's versioned schema migrations to the database of --database-url (or
DATABASE_URL) and exits. "serve" and "up" apply them on start as well, under an advisory lock, so this
is for deploy pipelines that migrate before rolling out servers. Running it again changes nothing.
`;

export async function migrateCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(argv, { "database-url": { type: "string" } }, MIGRATE_USAGE, io);
  if (typeof values === "number") return values;
  const databaseUrl = databaseUrlOf(values["database-url"] as string | undefined, io.env);
  if (typeof databaseUrl === "object") {
    io.stderr(`error: ${databaseUrl.error}\n`);
    return EXIT_USAGE;
  }
  if (databaseUrl === undefined) {
    io.stderr(`error: migrate needs --database-url or DATABASE_URL\n\n${MIGRATE_USAGE}`);
    return EXIT_USAGE;
  }
  let version: number;
  try {
    // The same run, lock and versions as a server's start, without opening a pool.
    version = await migratePostgres(databaseUrl);
  } catch (error) {
    io.stderr(`error: cannot migrate ${redactUrl(databaseUrl)}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(`cognito-triggers migrate: ${redactUrl(databaseUrl)} is at schema version ${version}\n`);
  return EXIT_OK;
}
