// Opens the store the server runs on: PostgreSQL for a shared database, else SQLite (in memory for throwaway runs).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "./port.js";
import { createPostgresStore, migratePostgres, type PostgresStoreOptions } from "./postgres.js";
import { createSqliteStore, SQLITE_FILE } from "./sqlite.js";

export { InvalidCursor, MissingRecord } from "./errors.js";
export { type Sweeper, type SweeperOptions, startSweeper } from "./sweeper.js";
export type { PostgresStoreOptions };
export { createPostgresStore, createSqliteStore, migratePostgres, SQLITE_FILE };

export type OpenStoreOptions =
  | { memory: true }
  | { dataDir: string }
  | { databaseUrl: string; ssl?: PostgresStoreOptions["ssl"]; max?: number | undefined };

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if ("memory" in options) return createSqliteStore({ memory: true });
  if ("databaseUrl" in options) {
    return createPostgresStore({
      url: options.databaseUrl,
      ...(options.ssl !== undefined && { ssl: options.ssl }),
      ...(options.max !== undefined && { max: options.max }),
    });
  }
  await mkdir(options.dataDir, { recursive: true });
  const path = join(options.dataDir, SQLITE_FILE);
  try {
    return createSqliteStore({ path });
  } catch (error) {
    // SQLite's own messages ("file is not a database") do not say which file it could not open.
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}
