// The SQL connection every store operation is written against, once, for SQLite and PostgreSQL alike.
//
// Shared SQL text rather than a query builder such as Kysely: a builder assembles and compiles each
// query on every call, while a fixed string with `?` placeholders lets better-sqlite3 keep one prepared
// statement per string (and PostgreSQL convert its placeholders once per string), so the SQLite store
// costs no more than hand-written SQLite code. What the databases truly spell differently lives in
// `Dialect`; everything else is one statement for both.
import { MissingRecord } from "./errors.js";

export type Params = readonly unknown[];

/** The statements of one transaction, run one at a time on its connection. */
export interface Sql {
  readonly dialect: Dialect;
  all<R>(sql: string, params?: Params): Promise<R[]>;
  get<R>(sql: string, params?: Params): Promise<R | undefined>;
  /** Returns how many rows the statement changed. */
  run(sql: string, params?: Params): Promise<number>;
}

export interface Dialect {
  /** The constraint a failed statement broke, if that is why it failed. */
  violation(error: unknown): "unique" | "foreign" | undefined;
  /** `instr` or `strpos`: a substring's position (0 when absent), arguments in the same order. */
  readonly strpos: string;
  /** A table with one `value` column holding the strings of a JSON array parameter. */
  readonly jsonStrings: string;
}

/** Awaits a write, turning a broken foreign key into MissingRecord and a broken uniqueness into `unique()`. */
export async function guarded<T>(
  sql: Sql,
  write: Promise<T>,
  missing: string,
  unique?: () => Error,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const kind = sql.dialect.violation(error);
    if (kind === "foreign") throw new MissingRecord(missing);
    if (kind === "unique" && unique) throw unique();
    throw error;
  }
}

/**
 * Runs a multi-statement write in a savepoint, so a caller that catches its error (a UniqueViolation)
 * goes on without half of it, and PostgreSQL's failed-statement state is cleared. One name serves
 * every level: both databases release or roll back the innermost savepoint of a name.
 */
export async function atomic<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  await sql.run("SAVEPOINT store_write");
  try {
    const result = await work();
    await sql.run("RELEASE SAVEPOINT store_write");
    return result;
  } catch (error) {
    // When the whole transaction is gone (SQLite rolled it back) this fails too; `error` says why.
    await sql
      .run("ROLLBACK TO SAVEPOINT store_write")
      .then(() => sql.run("RELEASE SAVEPOINT store_write"))
      .catch(() => undefined);
    throw error;
  }
}

// INSERTs of 1, 2, 4 ... 32 rows per table, built once: a batch takes few statements, and the
// statement caches hold six strings per table instead of one per batch size.
const batches = new Map<string, string[]>();

export async function insertRows(sql: Sql, head: string, rows: readonly Params[]): Promise<void> {
  const width = rows[0]?.length ?? 0;
  let statements = batches.get(head);
  if (!statements) {
    const row = `(${Array(width).fill("?").join(", ")})`;
    statements = [1, 2, 4, 8, 16, 32].map((n) => `${head} VALUES ${Array(n).fill(row).join(", ")}`);
    batches.set(head, statements);
  }
  for (let i = 0; i < rows.length; ) {
    const size = Math.min(5, Math.floor(Math.log2(rows.length - i)));
    const n = 2 ** size;
    await sql.run(statements[size] as string, rows.slice(i, i + n).flat());
    i += n;
  }
}
