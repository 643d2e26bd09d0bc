// The SQLite dialect (the default store, and `--memory`): better-sqlite3 in WAL mode, one BEGIN IMMEDIATE transaction at a time.
import type { Store } from "./port.js";
import { migrationsFor, pendingSteps, SQLITE_SCHEMA } from "./schema.js";
import { Gate } from "./serial.js";
import type { Dialect, Params, Sql } from "./sql.js";
import { SqlStoreTx } from "./sql-store.js";
import { type Connection, Database, type Statement } from "./sqlite-driver.js";

export { listUsersSql } from "./sql-store.js";

/** The file name inside the data directory. */
export const SQLITE_FILE = "cognito.sqlite";

export const MIGRATIONS = migrationsFor(SQLITE_SCHEMA);

const dialect: Dialect = {
  // SQLite names no constraint, only its kind: each guarded statement writes one table, which says which.
  violation: (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return "foreign";
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return "unique";
    return undefined;
  },
  strpos: "instr",
  jsonStrings: "json_each(?)",
};

const NONE: Params = [];

/** One transaction's statements on the store's connection, refused once that transaction is over. */
class SqliteSql implements Sql {
  readonly dialect = dialect;
  open = true;

  constructor(
    private readonly db: Connection,
    private readonly prepare: (sql: string) => Statement,
  ) {}

  #statement(sql: string): Statement {
    if (!this.open) throw new Error("store transaction already ended");
    // SQLite rolls the whole transaction back on some errors (disk full, I/O); a caller that caught one
    // must not go on writing in autocommit mode.
    if (!this.db.inTransaction) throw new Error("store transaction was rolled back by SQLite");
    return this.prepare(sql);
  }

  async all<R>(sql: string, params: Params = NONE): Promise<R[]> {
    return this.#statement(sql).all(...params) as R[];
  }

  async get<R>(sql: string, params: Params = NONE): Promise<R | undefined> {
    return this.#statement(sql).get(...params) as R | undefined;
  }

  async run(sql: string, params: Params = NONE): Promise<number> {
    return this.#statement(sql).run(...params).changes;
  }
}

/** Brings the schema up to date in one write transaction, so two processes opening one file don't race. */
function migrate(db: Connection): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
    const pending = pendingSteps(MIGRATIONS, row?.version ?? 0);
    for (const step of pending) db.exec(step);
    if (pending.length > 0) {
      db.prepare("DELETE FROM schema_version").run();
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(MIGRATIONS.length);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

export function createSqliteStore(options: { path: string } | { memory: true }): Store {
  const db = new Database("path" in options ? options.path : ":memory:", { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    // In WAL mode NORMAL syncs at checkpoints, not at each commit: a committed transaction survives
    // a crash of this process (it is in the WAL file), and a power loss can only drop the latest
    // commits, never corrupt the file. For a local development server that trade is worth the speed.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Savepoints (insertUser, updateUser...) journal their pages in temp storage: in memory that costs
    // nothing, in a temp file (the default) it doubled the cost of an insertUser.
    db.pragma("temp_store = MEMORY");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  // One prepared statement per SQL string; the bound only matters for filters built from many terms.
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 1000) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const gate = new Gate(1);
  let closing: Promise<void> | undefined;

  return {
    transaction: (work) =>
      gate.run(async () => {
        const sql = new SqliteSql(db, prepare);
        prepare("BEGIN IMMEDIATE").run();
        try {
          const result = await work(new SqlStoreTx(sql));
          sql.open = false;
          prepare("COMMIT").run();
          return result;
        } catch (error) {
          sql.open = false;
          if (db.inTransaction) prepare("ROLLBACK").run();
          throw error;
        }
      }),
    close: () => {
      closing ??= gate.close().then(() => {
        db.close();
      });
      return closing;
    },
  };
}
