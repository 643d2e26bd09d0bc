// The SQLite store (the default): better-sqlite3 in WAL mode, one BEGIN IMMEDIATE transaction per action.

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
import type { Page, Store, StoredUser, UserFilter, UserKeys } from "./port.js";
import { UniqueViolation } from "./port.js";
import { TransactionQueue } from "./serial.js";
import {
  type ClientRow,
  type CodeRow,
  type GroupRow,
  type OutboxRow,
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
import { Database, type Statement } from "./sqlite-driver.js";
import { LOGS_MIGRATION, sqliteLogs } from "./sqlite-logs.js";
import { asyncTx, type SyncTx } from "./tx.js";

/** The file name inside the data directory. */
export const SQLITE_FILE = "cognito.sqlite";

/**
 * Schema steps, applied in order on open; `schema_version` records how many ran. Only ever append:
 * a database written by a newer build (more steps than known) is refused rather than misread.
 * Foreign keys with ON DELETE CASCADE make deletePool/deleteUser complete by construction.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_modified_at INTEGER NOT NULL
  );
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_modified_at INTEGER NOT NULL
  );
  CREATE INDEX clients_by_pool ON clients (pool_id, client_id);
  CREATE TABLE users (
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sub TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (pool_id, username),
    UNIQUE (pool_id, username_key),
    UNIQUE (pool_id, sub)
  );
  CREATE TABLE user_aliases (
    pool_id TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    username TEXT NOT NULL,
    PRIMARY KEY (pool_id, alias_key),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, username);
  -- Keyed by user first so that replacing or cascading a user's rows is a range, not a scan.
  CREATE TABLE user_index (
    pool_id TEXT NOT NULL,
    username TEXT NOT NULL,
    attribute TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (pool_id, username, attribute),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX user_index_by_value ON user_index (pool_id, attribute, value, username);
  CREATE TABLE groups (
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence INTEGER,
    created_at INTEGER NOT NULL,
    last_modified_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
  );
  CREATE TABLE group_members (
    pool_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    username TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX group_members_by_user ON group_members (pool_id, username, group_name);
  CREATE TABLE codes (
    pool_id TEXT NOT NULL,
    username TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    failed_attempts INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username, purpose),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  -- No foreign key to users: a challenge may be staged for a user that does not exist
  -- (PreventUserExistenceErrors), so deleteUser removes sessions itself.
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    record TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (pool_id, username);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE refresh_tokens (
    origin_jti TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    username TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL,
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username);
  CREATE TABLE signing_keys (
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    use TEXT NOT NULL,
    kid TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, use)
  );
  CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    window_start INTEGER NOT NULL
  );
  -- AUTOINCREMENT: ids never come back after a delete, so "oldest first" stays true.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_pool_id TEXT NOT NULL,
    username TEXT NOT NULL,
    sub TEXT NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX outbox_by_pool ON outbox (user_pool_id, id);
  CREATE INDEX outbox_by_username ON outbox (username, id);
  CREATE INDEX outbox_by_sub ON outbox (sub, id);
  `,
  LOGS_MIGRATION,
];

/** The `SQLITE_CONSTRAINT_*` code of a failed statement, if that is why it failed. */
function constraintOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT") ? code : undefined;
}

/** Runs a write, turning a broken foreign key into MissingRecord and a broken uniqueness into `unique`. */
function guarded<T>(write: () => T, missing: string, unique?: () => Error): T {
  try {
    return write();
  } catch (error) {
    const code = constraintOf(error);
    if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") throw new MissingRecord(missing);
    if (unique && (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY")) {
      throw unique();
    }
    throw error;
  }
}

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

/**
 * SQL of a filtered ListUsers page, exported so a test can check its query plan. After a cursor the
 * seek starts at the cursor, not at the prefix: the planner uses one lower bound, and from the prefix
 * every later page would step over all the earlier rows again.
 */
export function listUsersSql(prefix: boolean, bounded: boolean, after: boolean): string {
  const upper = bounded ? " AND i.value < @upper" : "";
  const where = prefix
    ? after
      ? `(i.value, i.username) > (@afterValue, @afterUsername)${upper}`
      : `i.value >= @value${upper}`
    : after
      ? "i.value = @value AND i.username > @afterUsername"
      : "i.value = @value";
  return `SELECT i.value, i.username, u.record FROM user_index i
    JOIN users u ON u.pool_id = i.pool_id AND u.username = i.username
    WHERE i.pool_id = @pool AND i.attribute = @attribute AND ${where}
    ORDER BY i.value, i.username LIMIT @limit`;
}

/** Brings the schema up to date in one write transaction, so two processes opening one file don't race. */
function migrate(db: Database): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `the database has schema version ${current}; this build knows up to ${MIGRATIONS.length}: use a newer build`,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1] ?? "");
    }
    if (current < MIGRATIONS.length) {
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
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const statements = new Map<string, Statement>();
  const q = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const aliasesOf = (poolId: string, username: string): string[] =>
    (
      q("SELECT alias_key FROM user_aliases WHERE pool_id = ? AND username = ? ORDER BY rowid").all(
        poolId,
        username,
      ) as { alias_key: string }[]
    ).map((row) => row.alias_key);

  const stored = (row: UserRow | undefined): StoredUser | undefined =>
    row && {
      user: toUser(row),
      keys: { usernameKey: row.username_key, aliasKeys: aliasesOf(row.pool_id, row.username) },
    };

  /** Replaces the user's alias and index rows; the constraints decide uniqueness. */
  const writeKeys = (user: UserRecord, keys: UserKeys, index: Record<string, string>): void => {
    q("DELETE FROM user_aliases WHERE pool_id = ? AND username = ?").run(user.poolId, user.username);
    for (const alias of new Set(keys.aliasKeys)) {
      guarded(
        () =>
          q("INSERT INTO user_aliases (pool_id, alias_key, username) VALUES (?, ?, ?)").run(
            user.poolId,
            alias,
            user.username,
          ),
        `user ${user.username}`,
        () => new UniqueViolation("alias", aliasAttribute(alias)),
      );
    }
    q("DELETE FROM user_index WHERE pool_id = ? AND username = ?").run(user.poolId, user.username);
    for (const [attribute, value] of Object.entries(index)) {
      if (typeof value !== "string") continue;
      q("INSERT INTO user_index (pool_id, username, attribute, value) VALUES (?, ?, ?, ?)").run(
        user.poolId,
        user.username,
        attribute,
        value,
      );
    }
  };

  // db.transaction inside the open transaction is a SAVEPOINT: each of these is atomic on its own, so a
  // caller that catches a UniqueViolation does not go on with half a user.
  const insertUser = db.transaction((user: UserRecord, keys: UserKeys, index: Record<string, string>) => {
    guarded(
      () =>
        q("INSERT INTO users (pool_id, username, username_key, sub, record) VALUES (?, ?, ?, ?, ?)").run(
          user.poolId,
          user.username,
          keys.usernameKey,
          user.sub,
          JSON.stringify(user),
        ),
      `pool ${user.poolId}`,
      // A sub is the user's other name: a clash can only come from reusing one.
      () => new UniqueViolation("username", undefined),
    );
    writeKeys(user, keys, index);
  });

  const updateUser = db.transaction((user: UserRecord, keys: UserKeys, index: Record<string, string>) => {
    const { changes } = guarded(
      () =>
        q("UPDATE users SET username_key = ?, sub = ?, record = ? WHERE pool_id = ? AND username = ?").run(
          keys.usernameKey,
          user.sub,
          JSON.stringify(user),
          user.poolId,
          user.username,
        ),
      `pool ${user.poolId}`,
      () => new UniqueViolation("username", undefined),
    );
    if (changes === 0) throw new MissingRecord(`user ${user.username} of pool ${user.poolId}`);
    writeKeys(user, keys, index);
  });

  const deleteUser = db.transaction((poolId: string, username: string) => {
    q("DELETE FROM sessions WHERE pool_id = ? AND username = ?").run(poolId, username);
    // Aliases, index rows, memberships, codes and refresh tokens go by cascade.
    q("DELETE FROM users WHERE pool_id = ? AND username = ?").run(poolId, username);
  });

  const deletePool = db.transaction((poolId: string) => {
    q("DELETE FROM outbox WHERE user_pool_id = ?").run(poolId);
    q("DELETE FROM pools WHERE id = ?").run(poolId);
  });

  const getOrCreateSecret = db.transaction((name: string, create: () => string): string => {
    const read = () =>
      q("SELECT value FROM secrets WHERE name = ?").get(name) as { value: string } | undefined;
    const existing = read();
    if (existing) return existing.value;
    q("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(name, create());
    return (read() as { value: string }).value;
  });

  const listUsers = (
    poolId: string,
    filter: UserFilter | undefined,
    limit: number,
    after: string | undefined,
  ) => {
    checkLimit(limit);
    if (!filter) {
      const from = after === undefined ? undefined : decodeCursor(after, "users", 1);
      const rows = (
        from
          ? q(
              "SELECT username, record FROM users WHERE pool_id = ? AND username > ? ORDER BY username LIMIT ?",
            ).all(poolId, from[0], limit + 1)
          : q("SELECT username, record FROM users WHERE pool_id = ? ORDER BY username LIMIT ?").all(
              poolId,
              limit + 1,
            )
      ) as { username: string; record: string }[];
      return toPage(rows, limit, "users", (row) => [row.username], toUser);
    }
    const scope = userFilterScope(filter);
    let from = after === undefined ? undefined : decodeCursor(after, scope, 2);
    const prefix = filter.op === "^=";
    // A made-up cursor below the prefix must not widen the match.
    if (prefix && from && compareText(from[0] ?? "", filter.value) < 0) from = undefined;
    const upper = prefix ? prefixSuccessor(filter.value) : undefined;
    const sql = listUsersSql(prefix, upper !== undefined, from !== undefined);
    const rows = q(sql).all({
      pool: poolId,
      attribute: filter.attribute,
      limit: limit + 1,
      ...(!(prefix && from) && { value: filter.value }),
      ...(upper !== undefined && { upper }),
      ...(from && (prefix ? { afterValue: from[0], afterUsername: from[1] } : { afterUsername: from[1] })),
    }) as { value: string; username: string; record: string }[];
    return toPage(rows, limit, scope, (row) => [row.value, row.username], toUser);
  };

  /** A page of rows ordered by one text column, `first` without a cursor and `rest` after one. */
  const namedPage = <R, T>(
    scope: string,
    column: keyof R & string,
    first: string,
    rest: string,
    params: unknown[],
    limit: number,
    after: string | undefined,
    output: (row: R) => T,
  ): Page<T> => {
    checkLimit(limit);
    const from = after === undefined ? undefined : decodeCursor(after, scope, 1);
    const rows = (
      from ? q(rest).all(...params, from[0], limit + 1) : q(first).all(...params, limit + 1)
    ) as R[];
    return toPage(rows, limit, scope, (row) => [String(row[column])], output);
  };

  const impl: SyncTx = {
    getPool: (poolId) => {
      const row = q("SELECT * FROM pools WHERE id = ?").get(poolId) as PoolRow | undefined;
      return row && toPool(row);
    },
    listPools: (limit, after) =>
      namedPage<PoolRow, PoolRecord>(
        "pools",
        "id",
        "SELECT * FROM pools ORDER BY id LIMIT ?",
        "SELECT * FROM pools WHERE id > ? ORDER BY id LIMIT ?",
        [],
        limit,
        after,
        toPool,
      ),
    putPool: (pool) => {
      // An upsert, not INSERT OR REPLACE: a replace deletes the row first and would cascade the pool away.
      q(
        `INSERT INTO pools (id, name, settings, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, settings = excluded.settings,
         created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
      ).run(pool.id, pool.name, JSON.stringify(pool.settings), pool.createdAt, pool.lastModifiedAt);
    },
    deletePool: (poolId) => deletePool(poolId),
    countUsers: (poolId) =>
      (q("SELECT count(*) AS n FROM users WHERE pool_id = ?").get(poolId) as { n: number }).n,

    getClient: (clientId) => {
      const row = q("SELECT * FROM clients WHERE client_id = ?").get(clientId) as ClientRow | undefined;
      return row && toClient(row);
    },
    listClients: (poolId, limit, after) =>
      namedPage<ClientRow, ClientRecord>(
        "clients",
        "client_id",
        "SELECT * FROM clients WHERE pool_id = ? ORDER BY client_id LIMIT ?",
        "SELECT * FROM clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id LIMIT ?",
        [poolId],
        limit,
        after,
        toClient,
      ),
    putClient: (client) => {
      guarded(
        () =>
          q(
            `INSERT INTO clients (client_id, pool_id, settings, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (client_id) DO UPDATE SET pool_id = excluded.pool_id, settings = excluded.settings,
             created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
          ).run(
            client.clientId,
            client.poolId,
            JSON.stringify(client.settings),
            client.createdAt,
            client.lastModifiedAt,
          ),
        `pool ${client.poolId}`,
      );
    },
    deleteClient: (clientId) => {
      q("DELETE FROM clients WHERE client_id = ?").run(clientId);
    },

    getUserByKey: (poolId, usernameKey) =>
      stored(
        q("SELECT * FROM users WHERE pool_id = ? AND username_key = ?").get(poolId, usernameKey) as
          | UserRow
          | undefined,
      ),
    getUserBySub: (poolId, sub) =>
      stored(q("SELECT * FROM users WHERE pool_id = ? AND sub = ?").get(poolId, sub) as UserRow | undefined),
    getUserByAlias: (poolId, aliasKey) =>
      stored(
        q(
          `SELECT u.* FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
           WHERE a.pool_id = ? AND a.alias_key = ?`,
        ).get(poolId, aliasKey) as UserRow | undefined,
      ),
    insertUser: (user, keys, index) => insertUser(user, keys, index),
    updateUser: (user, keys, index) => updateUser(user, keys, index),
    releaseAlias: (poolId, aliasKey) => {
      const row = q("DELETE FROM user_aliases WHERE pool_id = ? AND alias_key = ? RETURNING username").get(
        poolId,
        aliasKey,
      ) as { username: string } | undefined;
      return row?.username;
    },
    deleteUser: (poolId, username) => deleteUser(poolId, username),
    listUsers,

    getGroup: (poolId, name) => {
      const row = q("SELECT * FROM groups WHERE pool_id = ? AND name = ?").get(poolId, name) as
        | GroupRow
        | undefined;
      return row && toGroup(row);
    },
    listGroups: (poolId, limit, after) =>
      namedPage<GroupRow, GroupRecord>(
        "groups",
        "name",
        "SELECT * FROM groups WHERE pool_id = ? ORDER BY name LIMIT ?",
        "SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?",
        [poolId],
        limit,
        after,
        toGroup,
      ),
    putGroup: (group) => {
      guarded(
        () =>
          q(
            `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, last_modified_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (pool_id, name) DO UPDATE SET description = excluded.description,
             role_arn = excluded.role_arn, precedence = excluded.precedence,
             created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
          ).run(
            group.poolId,
            group.name,
            group.description ?? null,
            group.roleArn ?? null,
            group.precedence ?? null,
            group.createdAt,
            group.lastModifiedAt,
          ),
        `pool ${group.poolId}`,
      );
    },
    deleteGroup: (poolId, name) => {
      q("DELETE FROM groups WHERE pool_id = ? AND name = ?").run(poolId, name);
    },
    addToGroup: (poolId, name, username) => {
      guarded(
        () =>
          q(
            `INSERT INTO group_members (pool_id, group_name, username) VALUES (?, ?, ?)
             ON CONFLICT (pool_id, group_name, username) DO NOTHING`,
          ).run(poolId, name, username),
        `group ${name} or user ${username} of pool ${poolId}`,
      );
    },
    removeFromGroup: (poolId, name, username) => {
      q("DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username = ?").run(
        poolId,
        name,
        username,
      );
    },
    listGroupsForUser: (poolId, username, limit, after) => {
      const join = `SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
        WHERE m.pool_id = ? AND m.username = ?`;
      return namedPage<GroupRow, GroupRecord>(
        "user-groups",
        "name",
        `${join} ORDER BY m.group_name LIMIT ?`,
        `${join} AND m.group_name > ? ORDER BY m.group_name LIMIT ?`,
        [poolId, username],
        limit,
        after,
        toGroup,
      );
    },
    listUsersInGroup: (poolId, name, limit, after) => {
      const join = `SELECT u.username, u.record FROM group_members m
        JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
        WHERE m.pool_id = ? AND m.group_name = ?`;
      return namedPage<{ username: string; record: string }, UserRecord>(
        "group-users",
        "username",
        `${join} ORDER BY m.username LIMIT ?`,
        `${join} AND m.username > ? ORDER BY m.username LIMIT ?`,
        [poolId, name],
        limit,
        after,
        toUser,
      );
    },

    putCode: (code) => {
      guarded(
        () =>
          q(
            `INSERT INTO codes (pool_id, username, purpose, code_hash, created_at, expires_at, failed_attempts)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (pool_id, username, purpose) DO UPDATE SET code_hash = excluded.code_hash,
             created_at = excluded.created_at, expires_at = excluded.expires_at,
             failed_attempts = excluded.failed_attempts`,
          ).run(
            code.poolId,
            code.username,
            code.purpose,
            code.codeHash,
            code.createdAt,
            code.expiresAt,
            code.failedAttempts,
          ),
        `user ${code.username} of pool ${code.poolId}`,
      );
    },
    getCode: (poolId, username, purpose) => {
      const row = q("SELECT * FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?").get(
        poolId,
        username,
        purpose,
      ) as CodeRow | undefined;
      return row && toCode(row);
    },
    deleteCode: (poolId, username, purpose) => {
      q("DELETE FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?").run(
        poolId,
        username,
        purpose,
      );
    },

    putSession: (session) => {
      guarded(
        () =>
          q(
            `INSERT INTO sessions (id, pool_id, username, record, expires_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET pool_id = excluded.pool_id, username = excluded.username,
             record = excluded.record, expires_at = excluded.expires_at`,
          ).run(session.id, session.poolId, session.username, JSON.stringify(session), session.expiresAt),
        `pool ${session.poolId}`,
      );
    },
    takeSession: (id) => {
      const row = q("DELETE FROM sessions WHERE id = ? RETURNING record").get(id) as
        | { record: string }
        | undefined;
      return row && toSession(row);
    },

    putRefreshToken: (token) => {
      guarded(
        () =>
          q(
            `INSERT INTO refresh_tokens
             (origin_jti, pool_id, client_id, username, auth_time, created_at, expires_at, revoked)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (origin_jti) DO UPDATE SET pool_id = excluded.pool_id, client_id = excluded.client_id,
             username = excluded.username, auth_time = excluded.auth_time, created_at = excluded.created_at,
             expires_at = excluded.expires_at, revoked = excluded.revoked`,
          ).run(
            token.originJti,
            token.poolId,
            token.clientId,
            token.username,
            token.authTime,
            token.createdAt,
            token.expiresAt,
            token.revoked ? 1 : 0,
          ),
        `user ${token.username} of pool ${token.poolId}`,
      );
    },
    getRefreshToken: (originJti) => {
      const row = q("SELECT * FROM refresh_tokens WHERE origin_jti = ?").get(originJti) as
        | RefreshTokenRow
        | undefined;
      return row && toRefreshToken(row);
    },
    revokeRefreshToken: (originJti) => {
      q("UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ?").run(originJti);
    },
    revokeUserRefreshTokens: (poolId, username) => {
      q("UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username = ?").run(poolId, username);
    },

    getSigningKeys: (poolId) =>
      (q("SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY use").all(poolId) as SigningKeyRow[]).map(
        toSigningKey,
      ),
    putSigningKeyIfAbsent: (key) => {
      guarded(
        () =>
          q(
            `INSERT INTO signing_keys (pool_id, use, kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (pool_id, use) DO NOTHING`,
          ).run(key.poolId, key.use, key.kid, key.privateJwk, key.publicJwk, key.createdAt),
        `pool ${key.poolId}`,
      );
      return toSigningKey(
        q("SELECT * FROM signing_keys WHERE pool_id = ? AND use = ?").get(
          key.poolId,
          key.use,
        ) as SigningKeyRow,
      );
    },
    getOrCreateSecret: (name, create) => getOrCreateSecret(name, create),

    incrementCounter: (key, windowStart, now) =>
      (
        q(
          `INSERT INTO counters (key, count, window_start) VALUES (@key, 1, @now)
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN window_start < @windowStart THEN 1 ELSE count + 1 END,
             window_start = CASE WHEN window_start < @windowStart THEN @now ELSE window_start END
           RETURNING count`,
        ).get({ key, windowStart, now }) as { count: number }
      ).count,
    resetCounter: (key) => {
      q("DELETE FROM counters WHERE key = ?").run(key);
    },

    addOutboxMessage: (message) => {
      const { id: _ignored, ...rest } = message;
      q("INSERT INTO outbox (user_pool_id, username, sub, record) VALUES (?, ?, ?, ?)").run(
        message.userPoolId,
        message.username,
        message.sub,
        JSON.stringify(rest),
      );
    },
    listOutbox: (filter) => {
      const where: string[] = [];
      const params: string[] = [];
      if (filter.userPoolId !== undefined) {
        where.push("user_pool_id = ?");
        params.push(filter.userPoolId);
      }
      if (filter.username !== undefined) {
        where.push("(username = ? OR sub = ?)");
        params.push(filter.username, filter.username);
      }
      const sql = `SELECT id, record FROM outbox ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
      return (q(sql).all(...params) as OutboxRow[]).map(toOutbox);
    },

    ...sqliteLogs(q),
  };

  const queue = new TransactionQueue();
  return {
    transaction: (work) =>
      queue.run(async () => {
        let open = true;
        const tx = asyncTx(
          impl,
          () => {
            if (!open) throw new Error("store transaction already ended");
            // SQLite rolls the whole transaction back on some errors (disk full, I/O); a caller that caught
            // one must not go on writing in autocommit mode.
            if (!db.inTransaction) throw new Error("store transaction was rolled back by SQLite");
          },
          (call) => call(),
        );
        q("BEGIN IMMEDIATE").run();
        try {
          const result = await work(tx);
          open = false;
          q("COMMIT").run();
          return result;
        } catch (error) {
          open = false;
          if (db.inTransaction) q("ROLLBACK").run();
          throw error;
        }
      }),
    close: () => queue.close(() => db.close()),
  };
}
