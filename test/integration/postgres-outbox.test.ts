// `cognito-triggers outbox --database-url`: reads the messages every instance recorded in PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { fixedClock } from "../../src/shared/clock.js";
import { openStore } from "../../src/store/index.js";
import { postgresAvailable, startPostgres } from "../helpers/postgres.js";

const available = postgresAvailable();

describe.skipIf(!available)("outbox --database-url", () => {
  let database: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    database = await startPostgres();
    const store = await openStore({ databaseUrl: database.url });
    await store.transaction((tx) =>
      tx.addOutboxMessage({
        userPoolId: "us-east-1_Pg0utbox1",
        username: "gina",
        sub: "6f1c1f9e-6d1a-4f4e-9f65-3d1a2b3c4d5e",
        medium: "EMAIL",
        destination: "gina@example.com",
        subject: "Your verification code",
        body: "Your verification code is 123456. ",
        code: "123456",
        reason: "SignUp",
        createdAt: Date.UTC(2026, 0, 1),
      }),
    );
    await store.close();
  });
  afterAll(async () => {
    await database?.stop();
  });

  it("lists the message by destination as JSON", async () => {
    let out = "";
    const code = await main(
      [
        "outbox",
        "--database-url",
        database.url,
        "--pool",
        "us-east-1_Pg0utbox1",
        "--user",
        "gina@example.com",
        "--json",
      ],
      { stdout: (t) => (out += t), stderr: () => {}, cwd: "/", env: {}, clock: fixedClock(0) },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).messages).toEqual([
      expect.objectContaining({
        username: "gina",
        code: "123456",
        reason: "SignUp",
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    ]);
  });

  it("refuses a URL that is not postgres://", async () => {
    let err = "";
    const code = await main(["outbox", "--database-url", "mysql://x"], {
      stdout: () => {},
      stderr: (t) => (err += t),
      cwd: "/",
      env: {},
      clock: fixedClock(0),
    });
    expect(code).toBe(2);
    expect(err).toContain("postgres://");
  });
});
