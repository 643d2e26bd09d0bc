// Opens the store the server runs on: in memory for throwaway runs, PostgreSQL for a shared database, else SQLite.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createMemoryStore } from "./memory.js";
import type { Store } from "./port.js";
import { createPostgresStore, migratePostgres, type PostgresStoreOptions } from "./postgres.js";
import { createSqliteStore, SQLITE_FILE } from "./sqlite.js";

export { InvalidCursor, MissingRecord } from "./errors.js";
export type { PostgresStoreOptions };
export { createMemoryStore, createPostgresStore, createSqliteStore, migratePostgres, SQLITE_FILE };

export type OpenStoreOptions =
  | { memory: true }
  | { dataDir: string }
  | { databaseUrl: string; ssl?: PostgresStoreOptions["ssl"]; max?: number | undefined };

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if ("memory" in options) return createMemoryStore();
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
