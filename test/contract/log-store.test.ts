// Runs the log store contract against every adapter, and checks that an older SQLite file gains the log tables.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStore } from "../../src/store/postgres.js";
import { createSqliteStore, MIGRATIONS, SQLITE_FILE } from "../../src/store/sqlite.js";
import { Database } from "../../src/store/sqlite-driver.js";
import { postgresAvailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { describeLogStoreContract } from "./log-store-contract.js";
import { pool } from "./store-contract.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "log-store-test-"));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// PostgreSQL: one database for the file, and a fresh schema for every store the contract opens.
let postgres: TestPostgres | undefined;
let schemas = 0;
if (postgresAvailable()) {
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });
}
const postgresStore = async () => {
  if (!postgres) throw new Error("PostgreSQL did not start");
  const schema = `s${++schemas}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return createPostgresStore({ url: postgres.url, schema, max: 4 });
};

describeLogStoreContract("sqlite file", async () =>
  createSqliteStore({ path: join(tempDir(), SQLITE_FILE) }),
);
describeLogStoreContract("sqlite in memory", async () => createSqliteStore({ memory: true }));
if (postgresAvailable()) describeLogStoreContract("postgres", postgresStore);

describe("SQLite log tables", () => {
  it("are added to a database written before them, keeping its data", async () => {
    const path = join(tempDir(), SQLITE_FILE);
    const db = new Database(path);
    db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    db.exec(MIGRATIONS[0] ?? "");
    db.prepare("INSERT INTO schema_version (version) VALUES (1)").run();
    db.prepare(
      "INSERT INTO pools (id, name, settings, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?)",
    ).run(
      "p1",
      "name-p1",
      JSON.stringify(pool("p1").settings),
      pool("p1").createdAt,
      pool("p1").lastModifiedAt,
    );
    db.close();

    const store = createSqliteStore({ path });
    try {
      await store.transaction(async (tx) => {
        expect(await tx.getPool("p1")).toEqual(pool("p1"));
        await tx.appendLogEvents("/aws/lambda/f", "s", [{ timestamp: 1, message: "hi" }], 2);
      });
    } finally {
      await store.close();
    }
    const reopened = createSqliteStore({ path });
    try {
      const page = await reopened.transaction((tx) =>
        tx.filterLogEvents("/aws/lambda/f", { limit: 10, after: undefined }),
      );
      expect(page.items).toEqual([{ stream: "s", timestamp: 1, message: "hi", ingestionTime: 2, seq: 1 }]);
    } finally {
      await reopened.close();
    }
    const check = new Database(path);
    try {
      expect(check.prepare("SELECT version FROM schema_version").all()).toEqual([
        { version: MIGRATIONS.length },
      ]);
    } finally {
      check.close();
    }
  });

  it("serve a filtered read from the group index rather than a scan", () => {
    const db = new Database(":memory:");
    try {
      for (const step of MIGRATIONS) db.exec(step);
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT s.name, e.seq FROM log_events e JOIN log_streams s ON s.id = e.stream_id
           WHERE e.group_id = ? AND e.timestamp >= ? AND (e.timestamp, e.seq) > (?, ?) ORDER BY e.timestamp, e.seq LIMIT 10`,
        )
        .all(1, 0, 0, 0) as { detail: string }[];
      expect(plan.map((row) => row.detail).join("\n")).toMatch(/log_events_by_group/);
    } finally {
      db.close();
    }
  });
});
