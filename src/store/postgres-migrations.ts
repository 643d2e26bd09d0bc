// The PostgreSQL store's schema steps and the migration run that applies them once across many instances.
import pg from "pg";

/**
 * Schema steps, applied in order; `schema_version` records how many ran. Only ever append. The same
 * logical schema as SQLite's: JSON stays text (jsonb would reorder keys and cost a parse for nothing),
 * times are BIGINT milliseconds. Every ordered or compared key is `COLLATE "C"`, which on a UTF-8
 * database orders by code point as SQLite's BINARY does, whatever the database's default locale.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE pools (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_modified_at BIGINT NOT NULL
  );
  CREATE TABLE clients (
    client_id TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_modified_at BIGINT NOT NULL
  );
  CREATE INDEX clients_by_pool ON clients (pool_id, client_id);
  CREATE TABLE users (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (pool_id, username),
    CONSTRAINT users_username_key_unique UNIQUE (pool_id, username_key),
    CONSTRAINT users_sub_unique UNIQUE (pool_id, sub)
  );
  -- position keeps the aliases in the order they were given (SQLite reads them by rowid).
  CREATE TABLE user_aliases (
    pool_id TEXT COLLATE "C" NOT NULL,
    alias_key TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    CONSTRAINT user_aliases_pkey PRIMARY KEY (pool_id, alias_key),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, username, position);
  CREATE TABLE user_index (
    pool_id TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    attribute TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, username, attribute),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX user_index_by_value ON user_index (pool_id, attribute, value, username);
  CREATE TABLE groups (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence BIGINT,
    created_at BIGINT NOT NULL,
    last_modified_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, name)
  );
  CREATE TABLE group_members (
    pool_id TEXT COLLATE "C" NOT NULL,
    group_name TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, username),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX group_members_by_user ON group_members (pool_id, username, group_name);
  CREATE TABLE codes (
    pool_id TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    purpose TEXT COLLATE "C" NOT NULL,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL,
    PRIMARY KEY (pool_id, username, purpose),
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  -- No foreign key to users: a challenge may be staged for a user that does not exist.
  CREATE TABLE sessions (
    id TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username TEXT COLLATE "C" NOT NULL,
    record TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (pool_id, username);
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  CREATE TABLE refresh_tokens (
    origin_jti TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL,
    client_id TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked BOOLEAN NOT NULL,
    FOREIGN KEY (pool_id, username) REFERENCES users (pool_id, username) ON DELETE CASCADE
  );
  CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username);
  CREATE TABLE signing_keys (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    use TEXT COLLATE "C" NOT NULL,
    kid TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, use)
  );
  CREATE TABLE secrets (
    name TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE counters (
    key TEXT COLLATE "C" PRIMARY KEY,
    count BIGINT NOT NULL,
    window_start BIGINT NOT NULL
  );
  -- An identity column, not SERIAL: ids never come back after a delete or a rollback, so "oldest
  -- first" holds for one instance; across instances it is allocation order, not commit order.
  CREATE TABLE outbox (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_pool_id TEXT COLLATE "C" NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX outbox_by_pool ON outbox (user_pool_id, id);
  CREATE INDEX outbox_by_username ON outbox (username, id);
  CREATE INDEX outbox_by_sub ON outbox (sub, id);
  `,
  `
  CREATE TABLE log_groups (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    creation_time BIGINT NOT NULL,
    stored_bytes BIGINT NOT NULL
  );
  CREATE TABLE log_streams (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES log_groups (id),
    name TEXT COLLATE "C" NOT NULL,
    creation_time BIGINT NOT NULL,
    first_event_timestamp BIGINT,
    last_event_timestamp BIGINT,
    last_ingestion_time BIGINT,
    stored_bytes BIGINT NOT NULL,
    UNIQUE (group_id, name)
  );
  CREATE INDEX log_streams_by_last_event ON log_streams (group_id, (coalesce(last_event_timestamp, -1)), name);
  CREATE TABLE log_events (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES log_groups (id),
    stream_id BIGINT NOT NULL REFERENCES log_streams (id),
    timestamp BIGINT NOT NULL,
    ingestion_time BIGINT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX log_events_by_stream ON log_events (stream_id, timestamp, seq);
  CREATE INDEX log_events_by_group ON log_events (group_id, timestamp, seq);
  `,
];

/** The advisory lock every instance takes to migrate: an arbitrary constant ("cognit" in ASCII, below 2^53). */
export const MIGRATION_LOCK = 0x636f676e6974;

/** SQLSTATEs of a missing function or feature: CockroachDB has no pg_advisory_xact_lock. */
const UNSUPPORTED = new Set(["42883", "0A000"]);

/**
 * Brings the schema up to date in one transaction holding the advisory lock, so instances starting at
 * once apply each step exactly once (the others wait, then find the version current). On engines without
 * advisory locks the run goes on unlocked: concurrent first starts may then fail on a duplicate table,
 * and are retried here, finding the schema done.
 */
export async function migrateClient(client: pg.ClientBase): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(client, true);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && UNSUPPORTED.has(code)) return migrateOnce(client, false);
      // A racing unlocked instance created the same table or version row first: read again.
      if (attempt < 5 && (code === "42P07" || code === "23505" || code === "40001" || code === "40P01")) {
        continue;
      }
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
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `the database has schema version ${current}; this build knows up to ${POSTGRES_MIGRATIONS.length}: use a newer build`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version - 1] ?? "");
    }
    if (current < POSTGRES_MIGRATIONS.length) {
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
export function clientConfig(
  url: string,
  options: { ssl?: pg.ClientConfig["ssl"]; schema?: string },
): pg.ClientConfig {
  return {
    connectionString: url,
    ...(options.ssl !== undefined && { ssl: options.ssl }),
    ...(options.schema !== undefined && { options: `-c search_path=${quoteIdent(options.schema)}` }),
  };
}

/** A double-quoted identifier; the schema name comes from configuration, never from a request. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
