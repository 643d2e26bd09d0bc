// The PostgreSQL store: many server instances on one database, each action one SERIALIZABLE transaction.

import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { MissingRecord } from "./errors.js";
import type { ClientRecord, GroupRecord, PoolRecord, UserRecord } from "./model.js";
import {
  checkLimit,
  compareText,
  decodeCursor,
  encodeCursor,
  prefixSuccessor,
  userFilterScope,
} from "./paging.js";
import type { Page, Store, StoredUser, StoreTx, UserFilter, UserKeys } from "./port.js";
import { UniqueViolation } from "./port.js";
import { postgresLogs, type Query } from "./postgres-logs.js";
import { clientConfig, migrateClient } from "./postgres-migrations.js";
import {
  type ClientRow,
  type CodeRow,
  type GroupRow,
  type PoolRow,
  type RefreshTokenRow,
  type SigningKeyRow,
  toClient,
  toCode,
  toGroup,
  toOutbox,
  toPool,
  toRefreshToken,
  toSession,
  toSigningKey,
  toUser,
  type UserRow,
} from "./sql-rows.js";

export { migratePostgres, POSTGRES_MIGRATIONS } from "./postgres-migrations.js";

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
}

/** Serialisation failure and deadlock: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

export const isRetryable = (error: unknown): boolean => RETRYABLE.has(codeOf(error) ?? "");

// BIGINT (int8) arrives as a string by default; every BIGINT here is a millisecond time, a count or an id,
// all far below 2^53. Per pool, so other users of `pg` in the process keep the default.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

function aliasAttribute(aliasKey: string): string {
  const colon = aliasKey.indexOf(":");
  return colon < 0 ? aliasKey : aliasKey.slice(0, colon);
}

/** Reads `limit + 1` rows so that `next` is only given when another page really exists. */
function toPage<R, T>(
  rows: R[],
  limit: number,
  scope: string,
  position: (row: R) => string[],
  output: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(output),
    next: rows.length > limit && last !== undefined ? encodeCursor(scope, position(last)) : undefined,
  };
}

/** Turns a broken foreign key into MissingRecord and a broken uniqueness into `unique(constraint)`. */
async function guarded<T>(
  write: () => Promise<T>,
  missing: string,
  unique?: (constraint: string | undefined) => Error | undefined,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = codeOf(error);
    if (code === "23503") throw new MissingRecord(missing);
    if (code === "23505" && unique) {
      const mapped = unique((error as { constraint?: string }).constraint);
      if (mapped) throw mapped;
    }
    throw error;
  }
}

/** The users table's constraints are all "username" clashes: its key, its primary key or a reused sub. */
const usernameClash = (constraint: string | undefined): Error | undefined =>
  constraint === "users_pkey" ||
  constraint === "users_username_key_unique" ||
  constraint === "users_sub_unique"
    ? new UniqueViolation("username", undefined)
    : undefined;

/**
 * Lets `limit` transactions run at once, the rest waiting in the order they asked; refuses a transaction
 * started inside another of this store (with a limit of 1 it would wait for itself) and new ones once closed.
 */
class Gate {
  #running = 0;
  #waiting: (() => void)[] = [];
  #closed = false;
  #idle: (() => void)[] = [];
  readonly #inside = new AsyncLocalStorage<{ active: boolean }>();

  constructor(readonly limit: number) {}

  async run<T>(body: () => Promise<T>): Promise<T> {
    if (this.#inside.getStore()?.active) {
      throw new Error("store transaction started inside another one: it would wait for itself");
    }
    if (this.#closed) throw new Error("store is closed");
    if (this.#running >= this.limit || this.#waiting.length > 0) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    const running = { active: true };
    try {
      return await this.#inside.run(running, body);
    } finally {
      running.active = false;
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so none can overtake it.
      if (next) next();
      else {
        this.#running--;
        if (this.#running === 0) for (const done of this.#idle.splice(0)) done();
      }
    }
  }

  /** Refuses new transactions, then waits for those running or queued. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#running === 0 && this.#waiting.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  let closing: Promise<void> | undefined;

  /** One try of `work`; `broken` learns of a client whose ROLLBACK failed (its connection is suspect). */
  const attempt = async <T>(
    client: pg.PoolClient,
    work: (tx: StoreTx) => Promise<T>,
    broken: (error: Error) => void,
  ): Promise<T> => {
    let open = true;
    // A retryable failure dooms the whole attempt even if `work` caught it and went on.
    let doomed: unknown;
    const q: Query = async <R>(sql: string, params?: unknown[]): Promise<R[]> => {
      if (!open) throw new Error("store transaction already ended");
      try {
        return (await client.query(sql, params)).rows as R[];
      } catch (error) {
        if (isRetryable(error)) doomed ??= error;
        throw error;
      }
    };
    await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
    try {
      const result = await work(postgresTx(q));
      if (doomed !== undefined) throw doomed;
      open = false;
      await client.query("COMMIT");
      return result;
    } catch (error) {
      open = false;
      await client.query("ROLLBACK").catch((rollback: unknown) => {
        broken(rollback instanceof Error ? rollback : new Error(String(rollback)));
      });
      throw doomed ?? error;
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
          await sleep(Math.random() * Math.min(200, 5 * 2 ** n));
        }
      }),
    close: () => {
      closing ??= gate.close().then(() => pool.end());
      return closing;
    },
  };
}

/** The StoreTx of one attempt: every call is a statement (or a few) on the attempt's client. */
function postgresTx(q: Query): StoreTx {
  const one = async <R>(sql: string, params?: unknown[]): Promise<R | undefined> =>
    (await q<R>(sql, params))[0];

  // A savepoint around a multi-statement write: a caller that catches a UniqueViolation goes on without
  // half a user, and PostgreSQL's failed-statement state is undone so the transaction can go on.
  let savepoints = 0;
  const atomic = async <T>(write: () => Promise<T>): Promise<T> => {
    const name = `w${++savepoints}`;
    await q(`SAVEPOINT ${name}`);
    try {
      const result = await write();
      await q(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await q(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw error;
    }
  };

  const aliasesOf = async (poolId: string, username: string): Promise<string[]> =>
    (
      await q<{ alias_key: string }>(
        "SELECT alias_key FROM user_aliases WHERE pool_id = $1 AND username = $2 ORDER BY position",
        [poolId, username],
      )
    ).map((row) => row.alias_key);

  const stored = async (row: UserRow | undefined): Promise<StoredUser | undefined> =>
    row && {
      user: toUser(row),
      keys: { usernameKey: row.username_key, aliasKeys: await aliasesOf(row.pool_id, row.username) },
    };

  /** Replaces the user's alias and index rows; the constraints decide uniqueness. */
  const writeKeys = async (
    user: UserRecord,
    keys: UserKeys,
    index: Record<string, string>,
  ): Promise<void> => {
    await q("DELETE FROM user_aliases WHERE pool_id = $1 AND username = $2", [user.poolId, user.username]);
    let position = 0;
    for (const alias of new Set(keys.aliasKeys)) {
      await guarded(
        () =>
          q("INSERT INTO user_aliases (pool_id, alias_key, username, position) VALUES ($1, $2, $3, $4)", [
            user.poolId,
            alias,
            user.username,
            position++,
          ]),
        `user ${user.username}`,
        () => new UniqueViolation("alias", aliasAttribute(alias)),
      );
    }
    await q("DELETE FROM user_index WHERE pool_id = $1 AND username = $2", [user.poolId, user.username]);
    const entries = Object.entries(index).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    );
    if (entries.length > 0) {
      await q(
        `INSERT INTO user_index (pool_id, username, attribute, value)
         SELECT $1, $2, a, v FROM unnest($3::text[], $4::text[]) AS t (a, v)`,
        [user.poolId, user.username, entries.map(([a]) => a), entries.map(([, v]) => v)],
      );
    }
  };

  const listUsers = async (
    poolId: string,
    filter: UserFilter | undefined,
    limit: number,
    after: string | undefined,
  ): Promise<Page<UserRecord>> => {
    checkLimit(limit);
    if (!filter) {
      const from = after === undefined ? undefined : decodeCursor(after, "users", 1);
      const rows = from
        ? await q<{ username: string; record: string }>(
            "SELECT username, record FROM users WHERE pool_id = $1 AND username > $2 ORDER BY username LIMIT $3",
            [poolId, from[0], limit + 1],
          )
        : await q<{ username: string; record: string }>(
            "SELECT username, record FROM users WHERE pool_id = $1 ORDER BY username LIMIT $2",
            [poolId, limit + 1],
          );
      return toPage(rows, limit, "users", (row) => [row.username], toUser);
    }
    const scope = userFilterScope(filter);
    let from = after === undefined ? undefined : decodeCursor(after, scope, 2);
    const prefix = filter.op === "^=";
    // A made-up cursor below the prefix must not widen the match.
    if (prefix && from && compareText(from[0] ?? "", filter.value) < 0) from = undefined;
    const upper = prefix ? prefixSuccessor(filter.value) : undefined;
    const params: unknown[] = [poolId, filter.attribute];
    const add = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    // As in SQLite: after a cursor the seek starts at the cursor, so no page steps over earlier rows.
    let where = prefix
      ? from
        ? `(i.value, i.username) > (${add(from[0])}::text, ${add(from[1])}::text)`
        : `i.value >= ${add(filter.value)}`
      : from
        ? `i.value = ${add(filter.value)} AND i.username > ${add(from[1])}`
        : `i.value = ${add(filter.value)}`;
    if (upper !== undefined) where += ` AND i.value < ${add(upper)}`;
    const rows = await q<{ value: string; username: string; record: string }>(
      `SELECT i.value, i.username, u.record FROM user_index i
       JOIN users u ON u.pool_id = i.pool_id AND u.username = i.username
       WHERE i.pool_id = $1 AND i.attribute = $2 AND ${where}
       ORDER BY i.value, i.username LIMIT ${add(limit + 1)}`,
      params,
    );
    return toPage(rows, limit, scope, (row) => [row.value, row.username], toUser);
  };

  /** A page of rows ordered by one text column: `select` ends in a WHERE clause, `column` is the key. */
  const namedPage = async <R, T>(
    scope: string,
    key: keyof R & string,
    select: string,
    column: string,
    params: unknown[],
    limit: number,
    after: string | undefined,
    output: (row: R) => T,
  ): Promise<Page<T>> => {
    checkLimit(limit);
    const from = after === undefined ? undefined : decodeCursor(after, scope, 1);
    const all = [...params];
    const seek = from ? ` AND ${column} > $${all.push(from[0])}` : "";
    const rows = await q<R>(`${select}${seek} ORDER BY ${column} LIMIT $${all.push(limit + 1)}`, all);
    return toPage(rows, limit, scope, (row) => [String(row[key])], output);
  };

  return {
    getPool: async (poolId) => {
      const row = await one<PoolRow>("SELECT * FROM pools WHERE id = $1", [poolId]);
      return row && toPool(row);
    },
    listPools: (limit, after) =>
      namedPage<PoolRow, PoolRecord>(
        "pools",
        "id",
        "SELECT * FROM pools WHERE true",
        "id",
        [],
        limit,
        after,
        toPool,
      ),
    putPool: async (pool) => {
      // An upsert, not delete-and-insert: a delete would cascade the pool's contents away.
      await q(
        `INSERT INTO pools (id, name, settings, created_at, last_modified_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, settings = EXCLUDED.settings,
         created_at = EXCLUDED.created_at, last_modified_at = EXCLUDED.last_modified_at`,
        [pool.id, pool.name, JSON.stringify(pool.settings), pool.createdAt, pool.lastModifiedAt],
      );
    },
    deletePool: async (poolId) => {
      await q("DELETE FROM outbox WHERE user_pool_id = $1", [poolId]);
      await q("DELETE FROM pools WHERE id = $1", [poolId]);
    },
    countUsers: async (poolId) =>
      (await one<{ n: number }>("SELECT count(*) AS n FROM users WHERE pool_id = $1", [poolId]))?.n ?? 0,

    getClient: async (clientId) => {
      const row = await one<ClientRow>("SELECT * FROM clients WHERE client_id = $1", [clientId]);
      return row && toClient(row);
    },
    listClients: (poolId, limit, after) =>
      namedPage<ClientRow, ClientRecord>(
        "clients",
        "client_id",
        "SELECT * FROM clients WHERE pool_id = $1",
        "client_id",
        [poolId],
        limit,
        after,
        toClient,
      ),
    putClient: async (client) => {
      await guarded(
        () =>
          q(
            `INSERT INTO clients (client_id, pool_id, settings, created_at, last_modified_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (client_id) DO UPDATE SET pool_id = EXCLUDED.pool_id, settings = EXCLUDED.settings,
             created_at = EXCLUDED.created_at, last_modified_at = EXCLUDED.last_modified_at`,
            [
              client.clientId,
              client.poolId,
              JSON.stringify(client.settings),
              client.createdAt,
              client.lastModifiedAt,
            ],
          ),
        `pool ${client.poolId}`,
      );
    },
    deleteClient: async (clientId) => {
      await q("DELETE FROM clients WHERE client_id = $1", [clientId]);
    },

    getUserByKey: async (poolId, usernameKey) =>
      stored(
        await one<UserRow>("SELECT * FROM users WHERE pool_id = $1 AND username_key = $2", [
          poolId,
          usernameKey,
        ]),
      ),
    getUserBySub: async (poolId, sub) =>
      stored(await one<UserRow>("SELECT * FROM users WHERE pool_id = $1 AND sub = $2", [poolId, sub])),
    getUserByAlias: async (poolId, aliasKey) =>
      stored(
        await one<UserRow>(
          `SELECT u.* FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
           WHERE a.pool_id = $1 AND a.alias_key = $2`,
          [poolId, aliasKey],
        ),
      ),
    insertUser: (user, keys, index) =>
      atomic(async () => {
        await guarded(
          () =>
            q(
              "INSERT INTO users (pool_id, username, username_key, sub, record) VALUES ($1, $2, $3, $4, $5)",
              [user.poolId, user.username, keys.usernameKey, user.sub, JSON.stringify(user)],
            ),
          `pool ${user.poolId}`,
          usernameClash,
        );
        await writeKeys(user, keys, index);
      }),
    updateUser: (user, keys, index) =>
      atomic(async () => {
        const rows = await guarded(
          () =>
            q(
              `UPDATE users SET username_key = $1, sub = $2, record = $3 WHERE pool_id = $4 AND username = $5
               RETURNING username`,
              [keys.usernameKey, user.sub, JSON.stringify(user), user.poolId, user.username],
            ),
          `pool ${user.poolId}`,
          usernameClash,
        );
        if (rows.length === 0) throw new MissingRecord(`user ${user.username} of pool ${user.poolId}`);
        await writeKeys(user, keys, index);
      }),
    releaseAlias: async (poolId, aliasKey) =>
      (
        await one<{ username: string }>(
          "DELETE FROM user_aliases WHERE pool_id = $1 AND alias_key = $2 RETURNING username",
          [poolId, aliasKey],
        )
      )?.username,
    deleteUser: async (poolId, username) => {
      await q("DELETE FROM sessions WHERE pool_id = $1 AND username = $2", [poolId, username]);
      // Aliases, index rows, memberships, codes and refresh tokens go by cascade.
      await q("DELETE FROM users WHERE pool_id = $1 AND username = $2", [poolId, username]);
    },
    listUsers,

    getGroup: async (poolId, name) => {
      const row = await one<GroupRow>("SELECT * FROM groups WHERE pool_id = $1 AND name = $2", [
        poolId,
        name,
      ]);
      return row && toGroup(row);
    },
    listGroups: (poolId, limit, after) =>
      namedPage<GroupRow, GroupRecord>(
        "groups",
        "name",
        "SELECT * FROM groups WHERE pool_id = $1",
        "name",
        [poolId],
        limit,
        after,
        toGroup,
      ),
    putGroup: async (group) => {
      await guarded(
        () =>
          q(
            `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, last_modified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (pool_id, name) DO UPDATE SET description = EXCLUDED.description,
             role_arn = EXCLUDED.role_arn, precedence = EXCLUDED.precedence,
             created_at = EXCLUDED.created_at, last_modified_at = EXCLUDED.last_modified_at`,
            [
              group.poolId,
              group.name,
              group.description ?? null,
              group.roleArn ?? null,
              group.precedence ?? null,
              group.createdAt,
              group.lastModifiedAt,
            ],
          ),
        `pool ${group.poolId}`,
      );
    },
    deleteGroup: async (poolId, name) => {
      await q("DELETE FROM groups WHERE pool_id = $1 AND name = $2", [poolId, name]);
    },
    addToGroup: async (poolId, name, username) => {
      await guarded(
        () =>
          q(
            `INSERT INTO group_members (pool_id, group_name, username) VALUES ($1, $2, $3)
             ON CONFLICT (pool_id, group_name, username) DO NOTHING`,
            [poolId, name, username],
          ),
        `group ${name} or user ${username} of pool ${poolId}`,
      );
    },
    removeFromGroup: async (poolId, name, username) => {
      await q("DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username = $3", [
        poolId,
        name,
        username,
      ]);
    },
    listGroupsForUser: (poolId, username, limit, after) =>
      namedPage<GroupRow, GroupRecord>(
        "user-groups",
        "name",
        `SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
         WHERE m.pool_id = $1 AND m.username = $2`,
        "m.group_name",
        [poolId, username],
        limit,
        after,
        toGroup,
      ),
    listUsersInGroup: (poolId, name, limit, after) =>
      namedPage<{ username: string; record: string }, UserRecord>(
        "group-users",
        "username",
        `SELECT u.username, u.record FROM group_members m
         JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
         WHERE m.pool_id = $1 AND m.group_name = $2`,
        "m.username",
        [poolId, name],
        limit,
        after,
        toUser,
      ),

    putCode: async (code) => {
      await guarded(
        () =>
          q(
            `INSERT INTO codes (pool_id, username, purpose, code_hash, created_at, expires_at, failed_attempts)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (pool_id, username, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash,
             created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
             failed_attempts = EXCLUDED.failed_attempts`,
            [
              code.poolId,
              code.username,
              code.purpose,
              code.codeHash,
              code.createdAt,
              code.expiresAt,
              code.failedAttempts,
            ],
          ),
        `user ${code.username} of pool ${code.poolId}`,
      );
    },
    getCode: async (poolId, username, purpose) => {
      const row = await one<CodeRow>(
        "SELECT * FROM codes WHERE pool_id = $1 AND username = $2 AND purpose = $3",
        [poolId, username, purpose],
      );
      return row && toCode(row);
    },
    deleteCode: async (poolId, username, purpose) => {
      await q("DELETE FROM codes WHERE pool_id = $1 AND username = $2 AND purpose = $3", [
        poolId,
        username,
        purpose,
      ]);
    },

    putSession: async (session) => {
      await guarded(
        () =>
          q(
            `INSERT INTO sessions (id, pool_id, username, record, expires_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET pool_id = EXCLUDED.pool_id, username = EXCLUDED.username,
             record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
            [session.id, session.poolId, session.username, JSON.stringify(session), session.expiresAt],
          ),
        `pool ${session.poolId}`,
      );
    },
    // DELETE … RETURNING: of two instances taking one session at once, only one gets it.
    takeSession: async (id) => {
      const row = await one<{ record: string }>("DELETE FROM sessions WHERE id = $1 RETURNING record", [id]);
      return row && toSession(row);
    },

    putRefreshToken: async (token) => {
      await guarded(
        () =>
          q(
            `INSERT INTO refresh_tokens
             (origin_jti, pool_id, client_id, username, auth_time, created_at, expires_at, revoked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (origin_jti) DO UPDATE SET pool_id = EXCLUDED.pool_id, client_id = EXCLUDED.client_id,
             username = EXCLUDED.username, auth_time = EXCLUDED.auth_time, created_at = EXCLUDED.created_at,
             expires_at = EXCLUDED.expires_at, revoked = EXCLUDED.revoked`,
            [
              token.originJti,
              token.poolId,
              token.clientId,
              token.username,
              token.authTime,
              token.createdAt,
              token.expiresAt,
              token.revoked,
            ],
          ),
        `user ${token.username} of pool ${token.poolId}`,
      );
    },
    getRefreshToken: async (originJti) => {
      const row = await one<RefreshTokenRow>("SELECT * FROM refresh_tokens WHERE origin_jti = $1", [
        originJti,
      ]);
      return row && toRefreshToken(row);
    },
    revokeRefreshToken: async (originJti) => {
      await q("UPDATE refresh_tokens SET revoked = true WHERE origin_jti = $1", [originJti]);
    },
    revokeUserRefreshTokens: async (poolId, username) => {
      await q("UPDATE refresh_tokens SET revoked = true WHERE pool_id = $1 AND username = $2", [
        poolId,
        username,
      ]);
    },

    getSigningKeys: async (poolId) =>
      (await q<SigningKeyRow>("SELECT * FROM signing_keys WHERE pool_id = $1 ORDER BY use", [poolId])).map(
        toSigningKey,
      ),
    putSigningKeyIfAbsent: async (key) => {
      await guarded(
        () =>
          q(
            `INSERT INTO signing_keys (pool_id, use, kid, private_jwk, public_jwk, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pool_id, use) DO NOTHING`,
            [key.poolId, key.use, key.kid, key.privateJwk, key.publicJwk, key.createdAt],
          ),
        `pool ${key.poolId}`,
      );
      const row = await one<SigningKeyRow>("SELECT * FROM signing_keys WHERE pool_id = $1 AND use = $2", [
        key.poolId,
        key.use,
      ]);
      if (!row) throw new MissingRecord(`signing key ${key.use} of pool ${key.poolId}`);
      return toSigningKey(row);
    },
    getOrCreateSecret: async (name, create) => {
      const read = async () =>
        (await one<{ value: string }>("SELECT value FROM secrets WHERE name = $1", [name]))?.value;
      const existing = await read();
      if (existing !== undefined) return existing;
      await q("INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
        name,
        create(),
      ]);
      const value = await read();
      if (value === undefined) throw new MissingRecord(`secret ${name}`);
      return value;
    },

    // One statement, so concurrent increments from any instance each count.
    incrementCounter: async (key, windowStart, now) =>
      (
        await one<{ count: number }>(
          `INSERT INTO counters AS c (key, count, window_start) VALUES ($1, 1, $3)
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN c.window_start < $2 THEN 1 ELSE c.count + 1 END,
             window_start = CASE WHEN c.window_start < $2 THEN $3 ELSE c.window_start END
           RETURNING count`,
          [key, windowStart, now],
        )
      )?.count ?? 1,
    resetCounter: async (key) => {
      await q("DELETE FROM counters WHERE key = $1", [key]);
    },

    addOutboxMessage: async (message) => {
      const { id: _ignored, ...rest } = message;
      await q("INSERT INTO outbox (user_pool_id, username, sub, record) VALUES ($1, $2, $3, $4)", [
        message.userPoolId,
        message.username,
        message.sub,
        JSON.stringify(rest),
      ]);
    },
    listOutbox: async (filter) => {
      const where: string[] = [];
      const params: string[] = [];
      if (filter.userPoolId !== undefined) where.push(`user_pool_id = $${params.push(filter.userPoolId)}`);
      if (filter.username !== undefined) {
        const at = params.push(filter.username);
        where.push(`(username = $${at} OR sub = $${at})`);
      }
      const rows = await q<{ id: number; record: string }>(
        `SELECT id, record FROM outbox ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`,
        params,
      );
      return rows.map(toOutbox);
    },

    ...postgresLogs(q),
  };
}
