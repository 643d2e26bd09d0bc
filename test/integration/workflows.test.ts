// Each example workflow against a real local stack of the example (upStack in memory), and the CLI's `workflow --yes`.

import { DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { type LocalStack, upStack } from "../../src/local-deploy/up.js";
import { systemClock } from "../../src/shared/clock.js";
import type { ActivityLogResult } from "../../src/workflows/activity-log.js";
import type { AutoConfirmResult } from "../../src/workflows/auto-confirm.js";
import type { MigrateUserResult } from "../../src/workflows/migrate-user.js";
import {
  DEFAULT_PASSWORD,
  defaultUser,
  EXAMPLE_DIR,
  localContext,
  runWorkflow,
} from "../../src/workflows/run.js";
import { destroyClients, type WorkflowContext } from "../../src/workflows/steps.js";
import { scriptedUi } from "../../src/workflows/ui.js";

let stack: LocalStack;
let ctx: WorkflowContext;
const said: string[] = [];

beforeAll(async () => {
  stack = await upStack({
    cwd: EXAMPLE_DIR,
    memory: true,
    port: 0,
    // Nothing listens there: every user sync fails fast and is saved, which must not disturb the workflows.
    env: { PATH: process.env.PATH, USER_SERVICE_URL: "http://127.0.0.1:9" },
  });
  ctx = localContext({
    edgeUrl: stack.server.url,
    region: "us-east-1",
    outputs: stack.outputs,
    ui: scriptedUi((text) => said.push(text), DEFAULT_PASSWORD),
  });
}, 60_000);

afterAll(async () => {
  if (ctx) destroyClients(ctx.clients);
  await stack?.close();
});

const describePool = async () =>
  (await ctx.clients.cognito.send(new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId })))
    .UserPool;

describe("example workflows on the local stack", () => {
  it("auto-confirm: the known user is confirmed by PreSignUp and the trigger is removed afterwards", async () => {
    const before = await describePool();
    const result = (await runWorkflow(
      "auto-confirm",
      ctx,
      defaultUser("auto-confirm", DEFAULT_PASSWORD),
    )) as AutoConfirmResult;
    expect(result.userConfirmed).toBe(true);
    expect(result.signedIn).toBe(true);
    expect(result.logLines.join("\n")).toContain(
      "Found auto-confirm-user@example.com in the known-users table",
    );
    const after = await describePool();
    expect(after?.LambdaConfig?.PreSignUp).toBeUndefined();
    // Every other setting survived the two UpdateUserPool calls.
    expect(after?.Policies).toEqual(before?.Policies);
    expect(after?.AutoVerifiedAttributes).toEqual(before?.AutoVerifiedAttributes);
    expect(after?.LambdaConfig?.PostConfirmation).toBe(before?.LambdaConfig?.PostConfirmation);
  });

  it("migrate-user: the first sign-in migrates the user, who resets the password with the outbox code", async () => {
    const result = (await runWorkflow(
      "migrate-user",
      ctx,
      defaultUser("migrate-user", DEFAULT_PASSWORD),
    )) as MigrateUserResult;
    expect(result.resetRequired).toBe(true);
    expect(result.signedIn).toBe(true);
    expect(result.logLines.join("\n")).toContain(
      "Migrating migrate-user-user (migrate-user-user@example.com).",
    );
    expect((await describePool())?.LambdaConfig?.UserMigration).toBeUndefined();
  });

  it("activity-log: the sign-in is logged and written to the table", async () => {
    const result = (await runWorkflow(
      "activity-log",
      ctx,
      defaultUser("activity-log", DEFAULT_PASSWORD),
    )) as ActivityLogResult;
    expect(result.record).toMatchObject({
      UserName: "activity-log-user",
      UserEmail: "activity-log-user@example.com",
      LastLogin: { UserPoolId: ctx.stack.userPoolId, ClientId: ctx.stack.clientId },
    });
    expect(result.logLines.join("\n")).toContain('"UserName":"activity-log-user"');
    expect(said.join("\n")).toContain("Deleted the user activity-log-user.");
  });
});

describe("cognito-triggers workflow", () => {
  it("runs a workflow non-interactively on a stack it starts in memory", async () => {
    let out = "";
    let err = "";
    const code = await main(
      ["workflow", "auto-confirm", "--yes", "--password", "Another-Passw0rd", "--memory"],
      {
        stdout: (text) => {
          out += text;
        },
        stderr: (text) => {
          err += text;
        },
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, USER_SERVICE_URL: "http://127.0.0.1:9" },
        clock: systemClock,
      },
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("the trigger confirmed the user");
    expect(out).toContain("Workflow auto-confirm finished.");
  });

  it("refuses an unknown workflow", async () => {
    let err = "";
    const code = await main(["workflow", "nope"], {
      stdout: () => {},
      stderr: (text) => {
        err += text;
      },
      cwd: process.cwd(),
      env: {},
      clock: systemClock,
    });
    expect(code).toBe(2);
    expect(err).toContain("auto-confirm, migrate-user, activity-log");
  });
});
