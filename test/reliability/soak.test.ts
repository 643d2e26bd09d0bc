// Reliability: a bounded soak. `cognito-triggers serve` in a child process with authentication triggers
// on, sustained mixed load from concurrent clients: no unexpected errors, bounded RSS growth, p99 printed,
// and tables that stop growing: the sweeper keeps log events to their retention during the run, and
// every session, code, refresh token, counter and log event the run left is purged once expired.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore, SQLITE_FILE } from "../../src/store/index.js";
import { Database } from "../../src/store/sqlite-driver.js";
import { createClient, createPool, PASSWORD } from "../integration/cognito/auth-fixtures.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "dist/cli/bin.js");
const SERVICE = resolve(import.meta.dirname, "fixtures/soak/serverless.yml");

/** Sustained load after setup; the whole test stays under ~75 s. */
const LOAD_MS = 45_000;
/** RSS is the baseline from this point on (warm workers, JIT, SQLite cache settled). */
const BASELINE_AT_MS = 10_000;
const SAMPLE_EVERY_MS = 2_000;
const CLIENTS = 12;
/** The stated bound: the child's RSS may grow less than this from the 10 s mark to the end. */
const RSS_GROWTH_BOUND_MB = 150;
const SEED_USERS = 24;
/** `serve` sweeps this often and keeps log events this long (COGNITO_TRIGGERS_SWEEP_INTERVAL_MS, ..._LOG_RETENTION_MS). */
const SWEEP_INTERVAL_MS = 1_000;
const LOG_RETENTION_MS = 5_000;
const SWEPT_TABLES = ["sessions", "codes", "refresh_tokens", "counters", "log_events"] as const;

let child: ChildProcess | undefined;
let dataDir: string | undefined;

async function stopChild(): Promise<void> {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((done) => proc.once("exit", () => done()));
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

afterAll(async () => {
  await stopChild();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `serve` and resolves with its URL and the ARNs of its functions by key. */
async function startServe(): Promise<{ url: string; arns: Map<string, string>; stderr: () => string }> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`);
  dataDir = mkdtempSync(join(tmpdir(), "cognito-triggers-soak-"));
  const proc = spawn(
    process.execPath,
    [BIN, "serve", "--port", "0", "--data", dataDir, "--functions", SERVICE, "--log-level", "warn"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        COGNITO_TRIGGERS_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
        COGNITO_TRIGGERS_LOG_RETENTION_MS: String(LOG_RETENTION_MS),
      },
    },
  );
  child = proc;
  let out = "";
  let err = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start in 20 s: ${out}${err}`)), 20_000);
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}: ${out}${err}`));
    });
  });
  const arns = new Map<string, string>();
  for (const [, name, arn] of out.matchAll(/function (\S+) \((arn:\S+)\)/g))
    arns.set(String(name).split("-").at(-1) as string, arn as string);
  return { url, arns, stderr: () => err };
}

const rssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error("no VmRSS");
  return Number(kb) / 1024;
};

/** Rows per swept table, and how many log events were ever appended (AUTOINCREMENT's high-water mark). */
function tableRows(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const appended = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log_events'").get() as
      | { seq: number }
      | undefined;
    return {
      ...Object.fromEntries(SWEPT_TABLES.map((table) => [table, count(table)])),
      users: count("users"),
      log_events_appended: appended?.seq ?? 0,
    };
  } finally {
    db.close();
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

describe("soak", () => {
  it(`${CLIENTS} clients, mixed load with triggers for ${LOAD_MS / 1000} s: no errors, RSS growth < ${RSS_GROWTH_BOUND_MB} MB`, async () => {
    const { url, arns, stderr } = await startServe();
    const pid = child?.pid as number;
    const cognito = new CognitoIdentityProviderClient({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
      maxAttempts: 1,
    });
    try {
      const arn = (key: string) => {
        const found = arns.get(key);
        if (!found) throw new Error(`serve did not list function ${key}: ${[...arns.keys()].join(", ")}`);
        return found;
      };
      const poolId = await createPool(cognito, {
        LambdaConfig: {
          PreAuthentication: arn("preAuth"),
          PostAuthentication: arn("postAuth"),
          PreTokenGeneration: arn("preToken"),
        },
      });
      const { clientId } = await createClient(cognito, poolId);

      const users: string[] = [];
      let serial = 0;
      const signUpAndConfirm = async () => {
        const username = `soak${++serial}`;
        await cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: username,
            Password: PASSWORD,
            UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
          }),
        );
        await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
        users.push(username);
      };
      for (let i = 0; i < SEED_USERS; i++) await signUpAndConfirm();

      const latencies: Record<string, number[]> = { signUp: [], auth: [], getUser: [], listUsers: [] };
      const errors: string[] = [];
      let claimMissing = 0;
      const timed = async (op: string, work: () => Promise<void>) => {
        const started = performance.now();
        try {
          await work();
        } catch (error) {
          const e = error as { name?: string; message?: string };
          errors.push(`${op}: ${e.name}: ${e.message}`);
        }
        latencies[op]?.push(performance.now() - started);
      };
      const authAndGetUser = async () => {
        const username = users[Math.floor(Math.random() * users.length)] as string;
        let accessToken: string | undefined;
        await timed("auth", async () => {
          const out = await cognito.send(
            new InitiateAuthCommand({
              ClientId: clientId,
              AuthFlow: "USER_PASSWORD_AUTH",
              AuthParameters: { USERNAME: username, PASSWORD },
            }),
          );
          accessToken = out.AuthenticationResult?.AccessToken;
          const idToken = out.AuthenticationResult?.IdToken;
          if (!accessToken || !idToken) throw new Error("no tokens");
          // PreTokenGeneration ran: its claim is in the ID token.
          if (decodeJwt(idToken).soak !== "yes") claimMissing++;
        });
        if (accessToken) {
          const token = accessToken;
          await timed("getUser", async () => {
            const out = await cognito.send(new GetUserCommand({ AccessToken: token }));
            if (out.Username !== username)
              throw new Error(`GetUser answered ${out.Username} for ${username}`);
          });
        }
      };

      const started = performance.now();
      const elapsed = () => performance.now() - started;
      const samples: { atMs: number; rssMb: number }[] = [{ atMs: 0, rssMb: rssMb(pid) }];
      const sampler = setInterval(() => {
        samples.push({ atMs: Math.round(elapsed()), rssMb: rssMb(pid) });
      }, SAMPLE_EVERY_MS);
      const client = async () => {
        while (elapsed() < LOAD_MS && child?.exitCode === null) {
          const dice = Math.random();
          if (dice < 0.15) await timed("signUp", signUpAndConfirm);
          else if (dice < 0.85) await authAndGetUser();
          else
            await timed("listUsers", async () => {
              await cognito.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 20 }));
            });
        }
      };
      try {
        await Promise.all(Array.from({ length: CLIENTS }, client));
      } finally {
        clearInterval(sampler);
      }
      const alive = child?.exitCode === null && child.signalCode === null;
      if (alive) samples.push({ atMs: Math.round(elapsed()), rssMb: rssMb(pid) });
      const database = join(dataDir as string, SQLITE_FILE);
      const rowsAtEnd = tableRows(database);

      const all = Object.values(latencies)
        .flat()
        .sort((a, b) => a - b);
      const perOp = Object.fromEntries(
        Object.entries(latencies).map(([op, list]) => {
          const sorted = [...list].sort((a, b) => a - b);
          return [
            op,
            {
              n: sorted.length,
              p50: Math.round(percentile(sorted, 50)),
              p99: Math.round(percentile(sorted, 99)),
            },
          ];
        }),
      );
      const baseline = samples.find((s) => s.atMs >= BASELINE_AT_MS) ?? samples[0];
      const after = samples.filter((s) => s.atMs >= (baseline?.atMs ?? 0));
      const peakAfter = Math.max(...after.map((s) => s.rssMb));
      const growthMb = peakAfter - (baseline?.rssMb ?? 0);
      const seconds = elapsed() / 1000;
      console.log(
        JSON.stringify({
          test: "soak",
          clients: CLIENTS,
          seconds: Math.round(seconds),
          requests: all.length,
          rps: Math.round(all.length / seconds),
          users: users.length,
          errors: errors.length,
          claimMissing,
          p50Ms: Math.round(percentile(all, 50)),
          p99Ms: Math.round(percentile(all, 99)),
          maxMs: Math.round(all.at(-1) ?? 0),
          perOp,
          rssStartMb: Math.round(samples[0]?.rssMb ?? 0),
          rssBaselineMb: Math.round(baseline?.rssMb ?? 0),
          rssEndMb: Math.round(samples.at(-1)?.rssMb ?? 0),
          rssGrowthMb: Math.round(growthMb),
          rssBoundMb: RSS_GROWTH_BOUND_MB,
          serverStderrLines: stderr().split("\n").filter(Boolean).length,
          rowsAtEnd,
        }),
      );
      if (errors.length > 0) console.log(JSON.stringify({ test: "soak", firstErrors: errors.slice(0, 5) }));

      expect(alive, "the server process is still running").toBe(true);
      expect(errors).toEqual([]);
      expect(claimMissing).toBe(0);
      expect(all.length).toBeGreaterThan(CLIENTS * 10);
      expect(growthMb).toBeLessThan(RSS_GROWTH_BOUND_MB);
      // Every acknowledged sign-up is there afterwards.
      const stored = new Set<string>();
      let token: string | undefined;
      do {
        const page = await cognito.send(
          new ListUsersCommand({ UserPoolId: poolId, Limit: 60, PaginationToken: token }),
        );
        for (const user of page.Users ?? [])
          if (user.UserStatus === "CONFIRMED") stored.add(user.Username as string);
        token = page.PaginationToken;
      } while (token);
      expect(users.filter((u) => !stored.has(u))).toEqual([]);

      // Log events stayed within their retention: the sweeper removed most of what the run appended
      // (about retention/run of it is left), so that table stopped growing while the load went on.
      expect(rowsAtEnd.log_events_appended).toBeGreaterThan(0);
      expect(rowsAtEnd.log_events).toBeLessThan((rowsAtEnd.log_events_appended ?? 0) / 2);
      // The rest expires later than a soak can wait for: a sweep at a time past every expiry (and past
      // the retention) leaves none of what the run created in the swept tables, and every user.
      await stopChild();
      const store = createSqliteStore({ path: database });
      try {
        const later = Date.now() + 400 * 86_400_000;
        await store.transaction((tx) => tx.purgeExpired(later, { logRetentionMs: LOG_RETENTION_MS }));
      } finally {
        await store.close();
      }
      const rowsAfterSweep = tableRows(database);
      console.log(JSON.stringify({ test: "soak", rowsAfterSweep }));
      for (const table of SWEPT_TABLES) expect([table, rowsAfterSweep[table]]).toEqual([table, 0]);
      expect(rowsAfterSweep.users).toBe(rowsAtEnd.users);
    } finally {
      cognito.destroy();
      await stopChild();
    }
  }, 90_000);
});
