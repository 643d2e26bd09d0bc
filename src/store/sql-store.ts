// Every Cognito store operation, written once in SQL that SQLite and PostgreSQL both run (see sql.ts).
import { MissingRecord } from "./errors.js";
import type {
  ClientRecord,
  CodePurpose,
  CodeRecord,
  GroupRecord,
  OutboxMessage,
  PoolRecord,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
} from "./model.js";
import { checkLimit, compareText, decodeCursor, pageOf, prefixSuccessor, userFilterScope } from "./paging.js";
import {
  COUNTER_KEPT_MS,
  EXPIRED_KEPT_MS,
  type Page,
  type PurgeCounts,
  type PurgeOptions,
  type StoredUser,
  type StoreTx,
  UniqueViolation,
  type UserFilter,
  type UserKeys,
} from "./port.js";
import { atomic, guarded, insertRows, type Params } from "./sql.js";
import { SqlLogTx } from "./sql-logs.js";
import {
  type OutboxRow,
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

/** Cursor pages by one text column: `select` ends in a WHERE clause; both statements built once. */
const byColumn = (select: string, column: string) => ({
  first: `${select} ORDER BY ${column} LIMIT ?`,
  after: `${select} AND ${column} > ? ORDER BY ${column} LIMIT ?`,
});
type ByColumn = ReturnType<typeof byColumn>;

const POOLS = byColumn("SELECT * FROM pools WHERE true", "id");
const CLIENTS = byColumn("SELECT * FROM clients WHERE pool_id = ?", "client_id");
const USERS = byColumn("SELECT username, record FROM users WHERE pool_id = ?", "username");
const GROUPS = byColumn("SELECT * FROM groups WHERE pool_id = ?", "name");
const USER_GROUPS = byColumn(
  `SELECT g.* FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
   WHERE m.pool_id = ? AND m.username = ?`,
  "m.group_name",
);
const GROUP_USERS = byColumn(
  `SELECT u.username, u.record FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
   WHERE m.pool_id = ? AND m.group_name = ?`,
  "m.username",
);

/**
 * SQL of a filtered ListUsers page, exported so a test can check its query plan. After a cursor the
 * seek starts at the cursor, not at the prefix: the planner uses one lower bound, and from the prefix
 * every later page would step over all the earlier rows again. Parameters: pool, attribute, then the
 * seek's values in order (value; or value and username after a cursor; then the upper bound), limit.
 */
export function listUsersSql(prefix: boolean, bounded: boolean, after: boolean): string {
  const seek = prefix
    ? after
      ? "(i.value, i.username) > (?, ?)"
      : "i.value >= ?"
    : after
      ? "i.value = ? AND i.username > ?"
      : "i.value = ?";
  return `SELECT i.value, i.username, u.record FROM user_index i
    JOIN users u ON u.pool_id = i.pool_id AND u.username = i.username
    WHERE i.pool_id = ? AND i.attribute = ? AND ${seek}${bounded ? " AND i.value < ?" : ""}
    ORDER BY i.value, i.username LIMIT ?`;
}

const LIST_USERS = [false, true].map((prefix) =>
  [false, true].map((bounded) => [false, true].map((after) => listUsersSql(prefix, bounded, after))),
);

type UserListRow = { username: string; record: string };

const aliasAttribute = (aliasKey: string): string => aliasKey.split(":", 1)[0] ?? aliasKey;

/** A sub is the user's other name: a clash on any of the users table's keys is a taken username. */
const usernameTaken = () => new UniqueViolation("username", undefined);

export class SqlStoreTx extends SqlLogTx implements StoreTx {
  async #page<R, T>(
    statements: ByColumn,
    scope: string,
    key: keyof R & string,
    params: unknown[],
    limit: number,
    after: string | undefined,
    output: (row: R) => T,
  ): Promise<Page<T>> {
    checkLimit(limit);
    const from = after === undefined ? undefined : decodeCursor(after, scope, 1);
    const rows = from
      ? await this.sql.all<R>(statements.after, [...params, from[0], limit + 1])
      : await this.sql.all<R>(statements.first, [...params, limit + 1]);
    return pageOf(rows, limit, scope, (row) => [String(row[key])], output);
  }

  async #one<R, T>(sql: string, params: Params, output: (row: R) => T): Promise<T | undefined> {
    const row = await this.sql.get<R>(sql, params);
    return row && output(row);
  }

  /** A write of a record whose parent may be missing: a broken foreign key is MissingRecord(`missing`). */
  async #write(sql: string, params: Params, missing: string): Promise<void> {
    await guarded(this.sql, this.sql.run(sql, params), missing);
  }

  async #stored(row: UserRow | undefined): Promise<StoredUser | undefined> {
    if (!row) return undefined;
    const aliases = await this.sql.all<{ alias_key: string }>(
      "SELECT alias_key FROM user_aliases WHERE pool_id = ? AND username = ? ORDER BY position",
      [row.pool_id, row.username],
    );
    return {
      user: toUser(row),
      keys: { usernameKey: row.username_key, aliasKeys: aliases.map((a) => a.alias_key) },
    };
  }

  /** Replaces the user's alias and index rows; the constraints decide uniqueness. */
  async #writeKeys(user: UserRecord, keys: UserKeys, index: Record<string, string>): Promise<void> {
    const who = [user.poolId, user.username];
    await this.sql.run("DELETE FROM user_aliases WHERE pool_id = ? AND username = ?", who);
    let position = 0;
    for (const alias of new Set(keys.aliasKeys)) {
      await guarded(
        this.sql,
        this.sql.run(
          "INSERT INTO user_aliases (pool_id, alias_key, username, position) VALUES (?, ?, ?, ?)",
          [user.poolId, alias, user.username, position++],
        ),
        `user ${user.username}`,
        () => new UniqueViolation("alias", aliasAttribute(alias)),
      );
    }
    await this.sql.run("DELETE FROM user_index WHERE pool_id = ? AND username = ?", who);
    await insertRows(
      this.sql,
      "INSERT INTO user_index (pool_id, username, attribute, value)",
      Object.entries(index)
        .filter(([, value]) => typeof value === "string")
        .map(([attribute, value]) => [user.poolId, user.username, attribute, value]),
    );
  }

  // Pools

  async getPool(poolId: string): Promise<PoolRecord | undefined> {
    return this.#one("SELECT * FROM pools WHERE id = ?", [poolId], toPool);
  }

  listPools(limit: number, after: string | undefined): Promise<Page<PoolRecord>> {
    return this.#page(POOLS, "pools", "id", [], limit, after, toPool);
  }

  async putPool(pool: PoolRecord): Promise<void> {
    // An upsert, not a replace: deleting the row first would cascade the pool's contents away.
    await this.sql.run(
      `INSERT INTO pools (id, name, settings, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, settings = excluded.settings,
       created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
      [pool.id, pool.name, JSON.stringify(pool.settings), pool.createdAt, pool.lastModifiedAt],
    );
  }

  deletePool(poolId: string): Promise<void> {
    return atomic(this.sql, async () => {
      await this.sql.run("DELETE FROM outbox WHERE user_pool_id = ?", [poolId]);
      await this.sql.run("DELETE FROM pools WHERE id = ?", [poolId]);
    });
  }

  async countUsers(poolId: string): Promise<number> {
    return (await this.sql.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE pool_id = ?", [poolId]))
      ?.n as number;
  }

  // App clients

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    return this.#one("SELECT * FROM clients WHERE client_id = ?", [clientId], toClient);
  }

  listClients(poolId: string, limit: number, after: string | undefined): Promise<Page<ClientRecord>> {
    return this.#page(CLIENTS, "clients", "client_id", [poolId], limit, after, toClient);
  }

  async putClient(client: ClientRecord): Promise<void> {
    await this.#write(
      `INSERT INTO clients (client_id, pool_id, settings, created_at, last_modified_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET pool_id = excluded.pool_id, settings = excluded.settings,
         created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
      [
        client.clientId,
        client.poolId,
        JSON.stringify(client.settings),
        client.createdAt,
        client.lastModifiedAt,
      ],
      `pool ${client.poolId}`,
    );
  }

  async deleteClient(clientId: string): Promise<void> {
    await this.sql.run("DELETE FROM clients WHERE client_id = ?", [clientId]);
  }

  // Users

  async getUserByKey(poolId: string, usernameKey: string): Promise<StoredUser | undefined> {
    return this.#stored(
      await this.sql.get<UserRow>("SELECT * FROM users WHERE pool_id = ? AND username_key = ?", [
        poolId,
        usernameKey,
      ]),
    );
  }

  async getUserBySub(poolId: string, sub: string): Promise<StoredUser | undefined> {
    return this.#stored(
      await this.sql.get<UserRow>("SELECT * FROM users WHERE pool_id = ? AND sub = ?", [poolId, sub]),
    );
  }

  async getUserByAlias(poolId: string, aliasKey: string): Promise<StoredUser | undefined> {
    return this.#stored(
      await this.sql.get<UserRow>(
        `SELECT u.* FROM user_aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
         WHERE a.pool_id = ? AND a.alias_key = ?`,
        [poolId, aliasKey],
      ),
    );
  }

  insertUser(user: UserRecord, keys: UserKeys, index: Record<string, string>): Promise<void> {
    return atomic(this.sql, async () => {
      await guarded(
        this.sql,
        this.sql.run(
          "INSERT INTO users (pool_id, username, username_key, sub, record) VALUES (?, ?, ?, ?, ?)",
          [user.poolId, user.username, keys.usernameKey, user.sub, JSON.stringify(user)],
        ),
        `pool ${user.poolId}`,
        usernameTaken,
      );
      await this.#writeKeys(user, keys, index);
    });
  }

  updateUser(user: UserRecord, keys: UserKeys, index: Record<string, string>): Promise<void> {
    return atomic(this.sql, async () => {
      const changed = await guarded(
        this.sql,
        this.sql.run(
          "UPDATE users SET username_key = ?, sub = ?, record = ? WHERE pool_id = ? AND username = ?",
          [keys.usernameKey, user.sub, JSON.stringify(user), user.poolId, user.username],
        ),
        `pool ${user.poolId}`,
        usernameTaken,
      );
      if (changed === 0) throw new MissingRecord(`user ${user.username} of pool ${user.poolId}`);
      await this.#writeKeys(user, keys, index);
    });
  }

  async releaseAlias(poolId: string, aliasKey: string): Promise<string | undefined> {
    return (
      await this.sql.get<{ username: string }>(
        "DELETE FROM user_aliases WHERE pool_id = ? AND alias_key = ? RETURNING username",
        [poolId, aliasKey],
      )
    )?.username;
  }

  deleteUser(poolId: string, username: string): Promise<void> {
    return atomic(this.sql, async () => {
      await this.sql.run("DELETE FROM sessions WHERE pool_id = ? AND username = ?", [poolId, username]);
      // Aliases, index rows, memberships, codes and refresh tokens go by cascade.
      await this.sql.run("DELETE FROM users WHERE pool_id = ? AND username = ?", [poolId, username]);
    });
  }

  async listUsers(
    poolId: string,
    filter: UserFilter | undefined,
    limit: number,
    after: string | undefined,
  ): Promise<Page<UserRecord>> {
    if (!filter)
      return this.#page<UserListRow, UserRecord>(USERS, "users", "username", [poolId], limit, after, toUser);
    checkLimit(limit);
    const scope = userFilterScope(filter);
    let from = after === undefined ? undefined : decodeCursor(after, scope, 2);
    const prefix = filter.op === "^=";
    // A made-up cursor below the prefix must not widen the match.
    if (prefix && from && compareText(from[0] ?? "", filter.value) < 0) from = undefined;
    const upper = prefix ? prefixSuccessor(filter.value) : undefined;
    const params: unknown[] = [poolId, filter.attribute];
    if (from) params.push(prefix ? from[0] : filter.value, from[1]);
    else params.push(filter.value);
    if (upper !== undefined) params.push(upper);
    params.push(limit + 1);
    const sql = LIST_USERS[Number(prefix)]?.[Number(upper !== undefined)]?.[Number(from !== undefined)];
    const rows = await this.sql.all<{ value: string; username: string; record: string }>(
      sql as string,
      params,
    );
    return pageOf(rows, limit, scope, (row) => [row.value, row.username], toUser);
  }

  // Groups

  async getGroup(poolId: string, name: string): Promise<GroupRecord | undefined> {
    return this.#one("SELECT * FROM groups WHERE pool_id = ? AND name = ?", [poolId, name], toGroup);
  }

  listGroups(poolId: string, limit: number, after: string | undefined): Promise<Page<GroupRecord>> {
    return this.#page(GROUPS, "groups", "name", [poolId], limit, after, toGroup);
  }

  async putGroup(group: GroupRecord): Promise<void> {
    await this.#write(
      `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, last_modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pool_id, name) DO UPDATE SET description = excluded.description,
         role_arn = excluded.role_arn, precedence = excluded.precedence,
         created_at = excluded.created_at, last_modified_at = excluded.last_modified_at`,
      [
        group.poolId,
        group.name,
        group.description ?? null,
        group.roleArn ?? null,
        group.precedence ?? null,
        group.createdAt,
        group.lastModifiedAt,
      ],
      `pool ${group.poolId}`,
    );
  }

  async deleteGroup(poolId: string, name: string): Promise<void> {
    await this.sql.run("DELETE FROM groups WHERE pool_id = ? AND name = ?", [poolId, name]);
  }

  async addToGroup(poolId: string, name: string, username: string): Promise<void> {
    await this.#write(
      `INSERT INTO group_members (pool_id, group_name, username) VALUES (?, ?, ?)
         ON CONFLICT (pool_id, group_name, username) DO NOTHING`,
      [poolId, name, username],
      `group ${name} or user ${username} of pool ${poolId}`,
    );
  }

  async removeFromGroup(poolId: string, name: string, username: string): Promise<void> {
    await this.sql.run("DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username = ?", [
      poolId,
      name,
      username,
    ]);
  }

  listGroupsForUser(
    poolId: string,
    username: string,
    limit: number,
    after: string | undefined,
  ): Promise<Page<GroupRecord>> {
    return this.#page(USER_GROUPS, "user-groups", "name", [poolId, username], limit, after, toGroup);
  }

  listUsersInGroup(
    poolId: string,
    name: string,
    limit: number,
    after: string | undefined,
  ): Promise<Page<UserRecord>> {
    return this.#page<UserListRow, UserRecord>(
      GROUP_USERS,
      "group-users",
      "username",
      [poolId, name],
      limit,
      after,
      toUser,
    );
  }

  // One-time codes

  async putCode(code: CodeRecord): Promise<void> {
    await this.#write(
      `INSERT INTO codes (pool_id, username, purpose, code_hash, created_at, expires_at, failed_attempts)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pool_id, username, purpose) DO UPDATE SET code_hash = excluded.code_hash,
         created_at = excluded.created_at, expires_at = excluded.expires_at,
         failed_attempts = excluded.failed_attempts`,
      [
        code.poolId,
        code.username,
        code.purpose,
        code.codeHash,
        code.createdAt,
        code.expiresAt,
        code.failedAttempts,
      ],
      `user ${code.username} of pool ${code.poolId}`,
    );
  }

  async getCode(poolId: string, username: string, purpose: CodePurpose): Promise<CodeRecord | undefined> {
    return this.#one(
      "SELECT * FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?",
      [poolId, username, purpose],
      toCode,
    );
  }

  async deleteCode(poolId: string, username: string, purpose: CodePurpose): Promise<void> {
    await this.sql.run("DELETE FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?", [
      poolId,
      username,
      purpose,
    ]);
  }

  // Challenge sessions

  async putSession(session: SessionRecord): Promise<void> {
    await this.#write(
      `INSERT INTO sessions (id, pool_id, username, record, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET pool_id = excluded.pool_id, username = excluded.username,
         record = excluded.record, expires_at = excluded.expires_at`,
      [session.id, session.poolId, session.username, JSON.stringify(session), session.expiresAt],
      `pool ${session.poolId}`,
    );
  }

  // DELETE … RETURNING: of two transactions taking one session at once, only one gets it.
  async takeSession(id: string): Promise<SessionRecord | undefined> {
    return this.#one("DELETE FROM sessions WHERE id = ? RETURNING record", [id], toSession);
  }

  // Refresh tokens

  async putRefreshToken(token: RefreshTokenRecord): Promise<void> {
    await this.#write(
      `INSERT INTO refresh_tokens
         (origin_jti, pool_id, client_id, username, auth_time, created_at, expires_at, revoked)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (origin_jti) DO UPDATE SET pool_id = excluded.pool_id, client_id = excluded.client_id,
         username = excluded.username, auth_time = excluded.auth_time, created_at = excluded.created_at,
         expires_at = excluded.expires_at, revoked = excluded.revoked`,
      [
        token.originJti,
        token.poolId,
        token.clientId,
        token.username,
        token.authTime,
        token.createdAt,
        token.expiresAt,
        // 1 and 0: SQLite binds no booleans, and PostgreSQL reads '1' and '0' as booleans.
        token.revoked ? 1 : 0,
      ],
      `user ${token.username} of pool ${token.poolId}`,
    );
  }

  async getRefreshToken(originJti: string): Promise<RefreshTokenRecord | undefined> {
    return this.#one("SELECT * FROM refresh_tokens WHERE origin_jti = ?", [originJti], toRefreshToken);
  }

  async revokeRefreshToken(originJti: string): Promise<void> {
    await this.sql.run("UPDATE refresh_tokens SET revoked = TRUE WHERE origin_jti = ?", [originJti]);
  }

  async revokeUserRefreshTokens(poolId: string, username: string): Promise<void> {
    await this.sql.run("UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = ? AND username = ?", [
      poolId,
      username,
    ]);
  }

  // Keys and secrets

  async getSigningKeys(poolId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.sql.all<SigningKeyRow>(
      "SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY use",
      [poolId],
    );
    return rows.map(toSigningKey);
  }

  async putSigningKeyIfAbsent(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    await this.#write(
      `INSERT INTO signing_keys (pool_id, use, kid, private_jwk, public_jwk, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pool_id, use) DO NOTHING`,
      [key.poolId, key.use, key.kid, key.privateJwk, key.publicJwk, key.createdAt],
      `pool ${key.poolId}`,
    );
    const row = await this.sql.get<SigningKeyRow>(
      "SELECT * FROM signing_keys WHERE pool_id = ? AND use = ?",
      [key.poolId, key.use],
    );
    if (!row) throw new MissingRecord(`signing key ${key.use} of pool ${key.poolId}`);
    return toSigningKey(row);
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    const read = async () =>
      (await this.sql.get<{ value: string }>("SELECT value FROM secrets WHERE name = ?", [name]))?.value;
    const existing = await read();
    if (existing !== undefined) return existing;
    await this.sql.run("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [
      name,
      create(),
    ]);
    const value = await read();
    if (value === undefined) throw new MissingRecord(`secret ${name}`);
    return value;
  }

  // Counters: one statement, so concurrent increments from any instance each count.

  async incrementCounter(key: string, windowStart: number, now: number): Promise<number> {
    const row = await this.sql.get<{ count: number }>(
      `INSERT INTO counters AS c (key, count, window_start) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN c.window_start < ? THEN 1 ELSE c.count + 1 END,
         window_start = CASE WHEN c.window_start < ? THEN excluded.window_start ELSE c.window_start END
       RETURNING count`,
      [key, now, windowStart, windowStart],
    );
    return row?.count ?? 1;
  }

  async resetCounter(key: string): Promise<void> {
    await this.sql.run("DELETE FROM counters WHERE key = ?", [key]);
  }

  // Outbox

  async addOutboxMessage(message: OutboxMessage): Promise<void> {
    const { id: _ignored, ...rest } = message;
    await this.sql.run("INSERT INTO outbox (user_pool_id, username, sub, record) VALUES (?, ?, ?, ?)", [
      message.userPoolId,
      message.username,
      message.sub,
      JSON.stringify(rest),
    ]);
  }

  async listOutbox(filter: { userPoolId?: string | undefined; username?: string | undefined }) {
    const where = ["true"];
    const params: string[] = [];
    if (filter.userPoolId !== undefined) {
      where.push("user_pool_id = ?");
      params.push(filter.userPoolId);
    }
    if (filter.username !== undefined) {
      where.push("(username = ? OR sub = ?)");
      params.push(filter.username, filter.username);
    }
    const sql = `SELECT id, record FROM outbox WHERE ${where.join(" AND ")} ORDER BY id`;
    return (await this.sql.all<OutboxRow>(sql, params)).map(toOutbox);
  }

  // The sweeper

  async purgeExpired(now: number, options: PurgeOptions): Promise<PurgeCounts> {
    const expired = (sql: string, before: number) => this.sql.run(sql, [before]);
    return {
      sessions: await expired("DELETE FROM sessions WHERE expires_at <= ?", now - EXPIRED_KEPT_MS),
      // A missing code gets the same answer as an expired one.
      codes: await expired("DELETE FROM codes WHERE expires_at <= ?", now),
      refreshTokens: await expired("DELETE FROM refresh_tokens WHERE expires_at <= ?", now - EXPIRED_KEPT_MS),
      counters: await expired("DELETE FROM counters WHERE window_start < ?", now - COUNTER_KEPT_MS),
      logEvents: await this.purgeLogEvents(now - options.logRetentionMs),
    };
  }
}
