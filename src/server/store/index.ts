// Opens the store the server runs on: in memory for throwaway runs, else SQLite in the data directory.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createMemoryStore } from "./memory.js";
import type { Store } from "./port.js";
import { createSqliteStore, SQLITE_FILE } from "./sqlite.js";

export { InvalidCursor, MissingRecord } from "./errors.js";
export { createMemoryStore, createSqliteStore, SQLITE_FILE };

export async function openStore(options: { memory: true } | { dataDir: string }): Promise<Store> {
  if ("memory" in options) return createMemoryStore();
  await mkdir(options.dataDir, { recursive: true });
  return createSqliteStore({ path: join(options.dataDir, SQLITE_FILE) });
}
