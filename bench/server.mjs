// Benchmark of `cognito-triggers serve` (SQLite in a temp dir, or PostgreSQL) under concurrent raw HTTP clients; prints JSON lines.
// Run after `npm run build`: `npm run bench:server` (options: --users N --concurrency C --pool-size N
// --database-url postgres://...: the same phases on PostgreSQL with one, then two serve processes).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { checkPassword, newPasswordRecordParts } from "../dist/cognito/domain/srp.js";
import { insertUser } from "../dist/cognito/domain/users.js";
import { issueRefreshToken, issueTokens } from "../dist/cognito/tokens/issue.js";
import { generateSigningKey } from "../dist/cognito/tokens/keys.js";
import { cryptoRandom } from "../dist/shared/random.js";
import { openStore } from "../dist/store/index.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    "pool-size": { type: "string", default: "100000" },
    reads: { type: "string", default: "20000" },
    "database-url": { type: "string" },
  },
});
const DATABASE_URL = values["database-url"];
const USERS = Number(values.users);
const CONCURRENCY = Number(values.concurrency);
const POOL_SIZE = Number(values["pool-size"]);
const READS = Number(values.reads);
const BIN = new URL("../dist/cli/bin.js", import.meta.url).pathname;
const PASSWORD = "Passw0rd!";

// One keep-alive agent per phase: sockets idle across a long pause (the seeding) are closed by the server.
let agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** The running servers' URLs; calls go round-robin, so with two a SignUp and its confirm hit different ones. */
let bases = [];
let turn = 0;

function call(target, body) {
  const data = JSON.stringify(body);
  const base = bases[turn++ % bases.length];
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
          "content-length": Buffer.byteLength(data),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${target}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** Resident memory of one process, or the sum over several (the instances of a run). */
const rssOf = (pids) =>
  [pids]
    .flat()
    .map((pid) => {
      const line = readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("VmRSS:"));
      return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
    })
    .reduce((a, b) => a + b, 0);

/** Tags every line of a run: which store, how many instances. */
let tags = {};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs `count` operations with `CONCURRENCY` in flight and prints one JSON line for the phase. */
async function phase(name, count, op, pid) {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let errors = 0;
  let firstError;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        try {
          await op(i);
        } catch (error) {
          errors++;
          firstError ??= String(error).slice(0, 300);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const line = {
    bench: `server.${name}`,
    ...tags,
    ops: count,
    concurrency: CONCURRENCY,
    ops_per_s: Math.round(count / seconds),
    p50_ms: +percentile(latencies, 50).toFixed(2),
    p99_ms: +percentile(latencies, 99).toFixed(2),
    errors,
    rss_mb: +(rssOf(pid) / 1048576).toFixed(1),
  };
  if (firstError) line.first_error = firstError;
  console.log(JSON.stringify(line));
  return line;
}

/** The cryptography one password sign-in needs, alone: verifier check, two RS256 signatures, the refresh JWE. */
async function floor() {
  const poolName = "BenchPool1";
  const parts = newPasswordRecordParts(cryptoRandom, poolName, "floor-user", PASSWORD);
  const now = Date.now();
  const [id, access, refresh] = await Promise.all(
    ["id", "access", "refresh"].map((use) =>
      generateSigningKey(cryptoRandom, use, "us-east-1_BenchPool1", now),
    ),
  );
  const signIn = async () => {
    if (!checkPassword({ poolName, username: "floor-user", password: PASSWORD, ...parts }))
      throw new Error("bad verifier");
    await issueTokens({
      pool: {
        id: "us-east-1_BenchPool1",
        issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_BenchPool1",
      },
      client: { id: "client", accessValiditySeconds: 3600, idValiditySeconds: 3600 },
      user: {
        username: "floor-user",
        sub: randomUUID(),
        attributes: { email: "f@example.com", email_verified: "true" },
      },
      groups: [],
      authTime: Math.floor(now / 1000),
      originJti: randomUUID(),
      eventId: randomUUID(),
      now,
      keys: { id, access },
      random: cryptoRandom,
    });
    await issueRefreshToken({
      originJti: randomUUID(),
      poolId: "us-east-1_BenchPool1",
      clientId: "client",
      username: "floor-user",
      key: refresh,
    });
  };
  for (let i = 0; i < 20; i++) await signIn();
  const runs = 300;
  const start = performance.now();
  for (let i = 0; i < runs; i++) await signIn();
  const ms = (performance.now() - start) / runs;
  const line = {
    bench: "floor.sign-in-crypto",
    ms_per_sign_in: +ms.toFixed(3),
    max_per_s_per_core: Math.round(1000 / ms),
  };
  console.log(JSON.stringify(line));
  return line;
}

/** Starts one `serve` process and resolves with it and its URL. */
function serve(args) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args, "--log-level", "error"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = out.match(/listening on (http:\/\/[^ ]+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}`)));
  });
}

/**
 * One run of every phase against `instances` servers on one store: SQLite in a temp dir (one
 * instance), or the PostgreSQL database of --database-url. The big pool is seeded once per database
 * and reused by later runs (`seeded`).
 */
async function run({ instances, seeded }) {
  const dir = mkdtempSync(join(tmpdir(), "ct-bench-server-"));
  const storeArgs = DATABASE_URL ? ["--database-url", DATABASE_URL] : ["--data", dir];
  const openBenchStore = () => openStore(DATABASE_URL ? { databaseUrl: DATABASE_URL } : { dataDir: dir });
  tags = { store: DATABASE_URL ? "postgres" : "sqlite", instances };
  const started = performance.now();
  const servers = [];
  let result;
  try {
    // One after the other: the first applies the migrations, the others find them done.
    for (let n = 0; n < instances; n++) servers.push(await serve(storeArgs));
    bases = servers.map((s) => s.url);
    const pids = servers.map((s) => s.child.pid);
    const startupMs = performance.now() - started;
    console.log(
      JSON.stringify({
        bench: "server.startup",
        ...tags,
        ms: Math.round(startupMs),
        idle_rss_mb: +(rssOf(pids) / 1048576).toFixed(1),
        target_ms: 300,
        target_idle_rss_mb: 100,
      }),
    );

    const { UserPool } = await call("CreateUserPool", { PoolName: "bench" });
    const poolId = UserPool.Id;
    const { UserPoolClient } = await call("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "bench",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    const clientId = UserPoolClient.ClientId;
    // Keys are made on first use; one warm-up sign-in keeps that out of the measured phases.
    await call("SignUp", { ClientId: clientId, Username: "warmup", Password: PASSWORD });
    await call("AdminConfirmSignUp", { UserPoolId: poolId, Username: "warmup" });
    await call("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "warmup", PASSWORD },
    });

    const signUp = await phase(
      "SignUp+AdminConfirmSignUp",
      USERS,
      async (i) => {
        await call("SignUp", {
          ClientId: clientId,
          Username: `user${i}`,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: `user${i}@example.com` }],
        });
        await call("AdminConfirmSignUp", { UserPoolId: poolId, Username: `user${i}` });
      },
      pids,
    );
    const tokens = [];
    const auth = await phase(
      "InitiateAuth.USER_PASSWORD_AUTH",
      USERS,
      async (i) => {
        const out = await call("InitiateAuth", {
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: `user${i}`, PASSWORD },
        });
        tokens[i] = out.AuthenticationResult.AccessToken;
      },
      pids,
    );
    const getUser = await phase(
      "GetUser",
      READS,
      (i) => call("GetUser", { AccessToken: tokens[i % USERS] }),
      pids,
    );

    // A 100,000-user pool is seeded through the store (SignUp at the rate above would take minutes);
    // the servers read the same SQLite file or database.
    const big = seeded ?? (await seed(openBenchStore));
    const list = await phase(
      "ListUsers.Limit60.Filter",
      Math.max(READS / 4, 1000),
      async (i) => {
        const out = await call("ListUsers", {
          UserPoolId: big.Id,
          Limit: 60,
          Filter: `given_name ^= "Given${i % 100}"`,
        });
        if (out.Users.length !== 60) throw new Error(`expected 60 users, got ${out.Users.length}`);
      },
      pids,
    );
    result = { signUp, auth, getUser, list, big };
  } finally {
    await Promise.all(
      servers.map(({ child }) => {
        child.kill("SIGTERM");
        return new Promise((resolve) => child.once("exit", resolve));
      }),
    );
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

async function seed(openBenchStore) {
  const { UserPool: big } = await call("CreateUserPool", { PoolName: "bench-big" });
  {
    const store = await openBenchStore();
    const seedStart = performance.now();
    // Batches of 5,000: one transaction per batch keeps PostgreSQL's per-transaction state small.
    const BATCH = 5000;
    for (let from = 0; from < POOL_SIZE; from += BATCH) {
      await store.transaction(async (tx) => {
        const pool = await tx.getPool(big.Id);
        const now = Date.now();
        for (let i = from; i < Math.min(POOL_SIZE, from + BATCH); i++) {
          await insertUser(tx, pool, {
            poolId: big.Id,
            username: `member${String(i).padStart(6, "0")}`,
            sub: randomUUID(),
            attributes: {
              email: `member${i}@example.com`,
              given_name: `Given${i % 1000}`,
              email_verified: "true",
            },
            status: "CONFIRMED",
            enabled: true,
            password: undefined,
            createdAt: now,
            lastModifiedAt: now,
          });
        }
      });
    }
    await store.close();
    console.log(
      JSON.stringify({
        bench: "server.seed",
        ...tags,
        users: POOL_SIZE,
        ms: Math.round(performance.now() - seedStart),
      }),
    );
  }
  return big;
}

function summary({ signUp, auth, getUser, list }, cost) {
  const line = {
    bench: "summary",
    ...tags,
    signup_confirm_per_s: signUp.ops_per_s,
    initiate_auth_per_s: auth.ops_per_s,
    get_user_per_s: getUser.ops_per_s,
    list_users_per_s: list.ops_per_s,
    sign_in_crypto_floor_per_s_per_core: cost.max_per_s_per_core,
    initiate_auth_over_floor: +(auth.ops_per_s / cost.max_per_s_per_core).toFixed(2),
    targets: { signup_confirm: 500, initiate_auth: 300, get_user: 5000, list_users: 1000 },
    errors: signUp.errors + auth.errors + getUser.errors + list.errors,
  };
  console.log(JSON.stringify(line));
  return line;
}

async function main() {
  // PostgreSQL: the same phases with one instance, then two sharing the database (and the seeded pool).
  const runs = DATABASE_URL ? [1, 2] : [1];
  const results = [];
  let seeded;
  for (const instances of runs) {
    const result = await run({ instances, seeded });
    seeded = result.big;
    results.push({ instances, result });
  }
  const cost = await floor();
  const lines = results.map(({ instances, result }) => {
    tags = { store: DATABASE_URL ? "postgres" : "sqlite", instances };
    return summary(result, cost);
  });
  const errors = lines.reduce((sum, line) => sum + line.errors, 0);
  if (errors > 0) {
    console.error(`bench/server: ${errors} errors`);
    process.exitCode = 1;
  }
}

await main();
