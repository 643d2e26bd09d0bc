// The PostgreSQL dialect: many server instances on one database, each action one SERIALIZABLE transaction.
import pg from "pg";
import { cryptoRandom, type Random } from "../shared/random.js";
import type { Store, StoreTx } from "./port.js";
import { migrationsFor, POSTGRES_SCHEMA, pendingSteps } from "./schema.js";
import { Gate } from "./serial.js";
import type { Dialect, Params, Sql } from "./sql.js";
import { SqlStoreTx } from "./sql-store.js";

export const POSTGRES_MIGRATIONS = migrationsFor(POSTGRES_SCHEMA);

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database?...` */
  url: string;
  /** TLS for the connections, as `pg` takes it (`true`, or `{ ca, rejectUnauthorized, ... }`). */
  ssl?: pg.ClientConfig["ssl"];
  /** Pool size (default 10). */
  max?: number;
  /** Tables live in this schema instead of the search path's first (tests give each store its own). */
  schema?: string;
  /**
   * Transactions of this instance that may run at once (default 1). At 1 this instance keeps the port's
   * promise that transactions run one at a time in the order asked for; other instances on the same
   * database still run alongside, which SERIALIZABLE isolation, constraints and retries make safe.
   */
  concurrency?: number;
  /** Attempts of one transaction on serialisation failures and deadlocks (default 10). */
  maxAttempts?: number;
  /** Jitters the backoff between attempts (default: node:crypto). */
  random?: Random;
}

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Serialisation failure and deadlock: the transaction did nothing and may simply run again. */
const isRetryable = (error: unknown): boolean => codeOf(error) === "40001" || codeOf(error) === "40P01";

const dialect: Dialect = {
  // Each guarded statement writes one table, so the kind is enough; the constraint's name is not needed.
  violation: (error) =>
    codeOf(error) === "23505" ? "unique" : codeOf(error) === "23503" ? "foreign" : undefined,
  strpos: "strpos",
  jsonStrings: "json_array_elements_text(?)",
};

// `?` to `$1..$n`, once per SQL string: no statement of the store has a `?` inside a literal.
const numbered = new Map<string, string>();
function toNumbered(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size >= 1000) numbered.clear();
    numbered.set(sql, text);
  }
  return text;
}

// BIGINT (int8) arrives as a string by default; every BIGINT here is a millisecond time, a count or an id,
// all far below 2^53. Per pool, so other users of `pg` in the process keep the default.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/** One attempt's statements on its client, refused once the attempt is over. */
class PostgresSql implements Sql {
  readonly dialect = dialect;
  open = true;
  /** A retryable failure dooms the whole attempt, even if the work caught it and went on. */
  doomed: unknown;

  constructor(private readonly client: pg.PoolClient) {}

  async #query(sql: string, params: Params): Promise<pg.QueryResult> {
    if (!this.open) throw new Error("store transaction already ended");
    try {
      return await this.client.query(toNumbered(sql), params as unknown[]);
    } catch (error) {
      if (isRetryable(error)) this.doomed ??= error;
      throw error;
    }
  }

  async all<R>(sql: string, params: Params = []): Promise<R[]> {
    return (await this.#query(sql, params)).rows as R[];
  }

  async get<R>(sql: string, params: Params = []): Promise<R | undefined> {
    return (await this.#query(sql, params)).rows[0] as R | undefined;
  }

  async run(sql: string, params: Params = []): Promise<number> {
    return (await this.#query(sql, params)).rowCount ?? 0;
  }
}

/** Opens a pool, applies pending migrations (under an advisory lock) and returns the store. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({ ...clientConfig(options.url, options), max: options.max ?? 10, types });
  // An idle client losing its server (restart, failover) must not crash the process: the pool drops it.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrateClient(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  const gate = new Gate(Math.max(1, options.concurrency ?? 1));
  const maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  const random = options.random ?? cryptoRandom;
  let closing: Promise<void> | undefined;

  /** One try of `work`; `broken` learns of a client whose ROLLBACK failed (its connection is suspect). */
  const attempt = async <T>(
    client: pg.PoolClient,
    work: (tx: StoreTx) => Promise<T>,
    broken: (error: Error) => void,
  ): Promise<T> => {
    const sql = new PostgresSql(client);
    await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
    try {
      const result = await work(new SqlStoreTx(sql));
      if (sql.doomed !== undefined) throw sql.doomed;
      sql.open = false;
      await client.query("COMMIT");
      return result;
    } catch (error) {
      sql.open = false;
      await client.query("ROLLBACK").catch((rollback: unknown) => {
        broken(rollback instanceof Error ? rollback : new Error(String(rollback)));
      });
      throw sql.doomed ?? error;
    }
  };

  return {
    transaction: (work) =>
      gate.run(async () => {
        for (let n = 1; ; n++) {
          const client = await pool.connect();
          let broken: Error | undefined;
          try {
            return await attempt(client, work, (error) => {
              broken = error;
            });
          } catch (error) {
            if (!isRetryable(error) || n >= maxAttempts) throw error;
          } finally {
            // A client whose connection is in doubt is destroyed rather than handed out again.
            client.release(broken);
          }
          // Jittered exponential backoff, so the transactions that collided don't collide again.
          const ms = random.int(Math.min(200, 5 * 2 ** n) + 1);
          await new Promise<void>((resolve) => setTimeout(resolve, ms));
        }
      }),
    close: () => {
      closing ??= gate.close().then(() => pool.end());
      return closing;
    },
  };
}

/** The advisory lock every instance takes to migrate: an arbitrary constant ("cognit" in ASCII, below 2^53). */
const MIGRATION_LOCK = 0x636f676e6974;

/** SQLSTATEs of a missing function or feature: CockroachDB has no pg_advisory_xact_lock. */
const UNSUPPORTED = new Set(["42883", "0A000"]);

/** A racing unlocked instance created the same table or version row first, or a transaction collided. */
const RACED = new Set(["42P07", "23505", "40001", "40P01"]);

/**
 * Brings the schema up to date in one transaction holding the advisory lock, so instances starting at
 * once apply each step exactly once (the others wait, then find the version current). On engines without
 * advisory locks the run goes on unlocked: concurrent first starts may then fail on a duplicate table,
 * and are retried here, finding the schema done.
 */
async function migrateClient(client: pg.ClientBase): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(client, true);
    } catch (error) {
      const code = String(codeOf(error));
      if (UNSUPPORTED.has(code)) return migrateOnce(client, false);
      if (attempt < 5 && RACED.has(code)) continue;
      throw error;
    }
  }
}

async function migrateOnce(client: pg.ClientBase, lock: boolean): Promise<number> {
  await client.query("BEGIN");
  try {
    if (lock) await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    );
    const { rows } = await client.query<{ version: number }>(
      "SELECT version FROM schema_version WHERE id = 1",
    );
    const pending = pendingSteps(POSTGRES_MIGRATIONS, rows[0]?.version ?? 0);
    for (const step of pending) await client.query(step);
    if (pending.length > 0) {
      await client.query(
        `INSERT INTO schema_version (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version`,
        [POSTGRES_MIGRATIONS.length],
      );
    }
    await client.query("COMMIT");
    return POSTGRES_MIGRATIONS.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** For `cognito-triggers migrate`: applies pending steps and returns the schema version now in place. */
export async function migratePostgres(
  url: string,
  options: { ssl?: pg.ClientConfig["ssl"]; schema?: string } = {},
): Promise<number> {
  const client = new pg.Client(clientConfig(url, options));
  await client.connect();
  try {
    return await migrateClient(client);
  } finally {
    await client.end();
  }
}

/** Connection settings shared by the pool and the migrate command; `schema` scopes every table. */
function clientConfig(
  url: string,
  options: { ssl?: pg.ClientConfig["ssl"]; schema?: string },
): pg.ClientConfig {
  // A double-quoted identifier; the schema name comes from configuration, never from a request.
  const schema = options.schema?.replaceAll('"', '""');
  return {
    connectionString: url,
    ...(options.ssl !== undefined && { ssl: options.ssl }),
    ...(schema !== undefined && { options: `-c search_path="${schema}"` }),
  };
}
