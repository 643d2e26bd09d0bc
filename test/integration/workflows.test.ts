// Each scenario against a real local stack of the example (upStack in memory), driven through the Ui
// port by a replayed conversation: the prompts come in the script's order and every answer takes effect.
import { AdminGetUserCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { type LocalStack, upStack } from "../../src/local-deploy/up.js";
import { systemClock } from "../../src/shared/clock.js";
import { activityLogWorkflow } from "../../src/workflows/activity-log.js";
import { autoConfirmWorkflow } from "../../src/workflows/auto-confirm.js";
import { migrateUserWorkflow } from "../../src/workflows/migrate-user.js";
import { cleanUpWorkflow, EXAMPLE_DIR, localContext } from "../../src/workflows/run.js";
import {
  destroyClients,
  recentLogEvents,
  stackInfoFromOutputs,
  type Ui,
  type WorkflowContext,
} from "../../src/workflows/steps.js";
import { type ReplayUi, replayUi } from "../../src/workflows/ui.js";

let stack: LocalStack;
const contexts: WorkflowContext[] = [];

beforeAll(async () => {
  stack = await upStack({
    cwd: EXAMPLE_DIR,
    memory: true,
    port: 0,
    // Nothing listens there: a user sync would fail and be saved (the scenarios set it aside).
    env: { PATH: process.env.PATH, USER_SERVICE_URL: "http://127.0.0.1:9" },
  });
}, 60_000);

afterAll(async () => {
  for (const ctx of contexts) destroyClients(ctx.clients);
  await stack?.close();
});

function contextFor(ui: Ui): WorkflowContext {
  const ctx = localContext({ edgeUrl: stack.server.url, region: "us-east-1", outputs: stack.outputs, ui });
  contexts.push(ctx);
  return ctx;
}

const PASSWORD = "Sup3r-Secret";
const REMOVE = "Do you want to remove all of the AWS resources that were created during this demo (y/n)?";
const PASSWORD_PROMPT =
  "Enter a password that has at least 8 characters, uppercase, lowercase and numbers.\n(the password will not display as you type):";

const prompts = (ui: ReplayUi) => ui.turns.map((turn) => turn.prompt);

async function lambdaConfig(ctx: WorkflowContext) {
  const { UserPool } = await ctx.clients.cognito.send(
    new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
  );
  return UserPool?.LambdaConfig ?? {};
}

/** The pool's triggers as serverless.yml wires them: what every clean-up puts back. */
function stackWiring() {
  const { functions } = stackInfoFromOutputs(stack.outputs);
  return {
    PreSignUp: functions.autoConfirm,
    UserMigration: functions.migrateUser,
    PostAuthentication: functions.activityLog,
    PostConfirmation: functions.userSync,
  };
}

async function userStatus(ctx: WorkflowContext, username: string): Promise<string | undefined> {
  try {
    const user = await ctx.clients.cognito.send(
      new AdminGetUserCommand({ UserPoolId: ctx.stack.userPoolId, Username: username }),
    );
    return user.UserStatus;
  } catch (error) {
    if ((error as Error).name === "UserNotFoundException") return undefined;
    throw error;
  }
}

describe("auto-confirm, asked step for step", () => {
  it("choosing user 2 signs up test_user_2, confirmed by PreSignUp alone; y removes the user and restores the pool", async () => {
    const ui = replayUi(["2", PASSWORD, "", "y"]);
    const ctx = contextFor(ui);
    const started = ctx.now();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());

    const result = await autoConfirmWorkflow(ctx);

    expect(prompts(ui)).toEqual([
      "Enter a choice between 1 and 3:",
      PASSWORD_PROMPT,
      "Press Enter when you're ready to continue.",
      REMOVE,
    ]);
    expect(ui.turns[1]?.hidden).toBe(true);
    expect(ui.left).toEqual([]);
    const said = ui.transcript.join("\n");
    // The known users are listed before the choice, each step announced before it happens.
    expect(said).toMatch(
      /test_user_1 {2}test_email_1@example\.com\n {2}test_user_2 {2}test_email_2@example\.com\n {2}test_user_3/,
    );
    expect(said).toContain(
      "Which user do you want to use?\n\t1. test_user_1\n\t2. test_user_2\n\t3. test_user_3",
    );
    expect(said.indexOf("Signing up user 'test_user_2' with email 'test_email_2@example.com'")).toBeLessThan(
      said.indexOf("User test_user_2 signed up, confirmed = true."),
    );
    expect(said).toMatch(/Successfully signed in\. Your access token starts with: \S{11}\.\.\./);
    expect(said).toMatch(/Thanks for watching!\n-{88}$/);

    expect(result).toMatchObject({
      username: "test_user_2",
      userConfirmed: true,
      signedIn: true,
      removed: true,
    });
    const logs = result.logLines.join("\n");
    expect(logs).toContain(
      "Found test_email_2@example.com in the known-users table: confirming test_user_2.",
    );
    // Only this scenario's sign-up: one invocation.
    expect(result.logLines.filter((line) => line.startsWith("START RequestId"))).toHaveLength(1);
    // The service's PostConfirmation (user sync) was set aside: the auto-confirmed sign-up did not fire it.
    expect(await recentLogEvents(ctx, ctx.stack.functions.userSync, { since: started })).toEqual([]);

    expect(await userStatus(ctx, "test_user_2")).toBeUndefined();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
    const known = await ctx.clients.dynamodb.send(
      new GetItemCommand({
        TableName: ctx.stack.tableName,
        Key: { UserEmail: { S: "test_email_3@example.com" } },
      }),
    );
    expect(known.Item?.UserName?.S).toBe("test_user_3");
  });

  it("asks again after a wrong choice and a password the policy refuses; n keeps the user and the trigger", async () => {
    const ui = replayUi(["7", "one", "1", "short", "nouppercase1", PASSWORD, "", "n"]);
    const ctx = contextFor(ui);
    const before = await ctx.clients.cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
    );

    const result = await autoConfirmWorkflow(ctx);

    expect(prompts(ui)).toEqual([
      "Enter a choice between 1 and 3:",
      "Enter a choice between 1 and 3:",
      "Enter a choice between 1 and 3:",
      PASSWORD_PROMPT,
      PASSWORD_PROMPT,
      PASSWORD_PROMPT,
      "Press Enter when you're ready to continue.",
      REMOVE,
    ]);
    const said = ui.transcript.join("\n");
    expect(said).toContain('"7" is not one of the choices: enter a number between 1 and 3.');
    expect(said).toContain('"one" is not one of the choices');
    expect(said).toContain("Password not long enough: the pool needs at least 8 characters");
    expect(said).toContain("Password must have uppercase characters");
    expect(result).toMatchObject({
      username: "test_user_1",
      userConfirmed: true,
      signedIn: true,
      removed: false,
    });

    // n: the user stays, and the pool keeps only the scenario's trigger.
    expect(await userStatus(ctx, "test_user_1")).toBe("CONFIRMED");
    const config = await lambdaConfig(ctx);
    expect(config.PreSignUp).toBe(ctx.stack.functions.autoConfirm);
    expect(config.PostAuthentication).toBeUndefined();
    expect(config.PostConfirmation).toBeUndefined();
    expect(said).toContain(
      "To remove them later, run (with this run's --url, --data or --aws):\n  cognito-triggers workflow auto-confirm --clean-up --user test_user_1",
    );
    // Every other pool setting survived the UpdateUserPool calls.
    const after = await ctx.clients.cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
    );
    expect(after.UserPool?.Policies).toEqual(before.UserPool?.Policies);
    expect(after.UserPool?.AutoVerifiedAttributes).toEqual(before.UserPool?.AutoVerifiedAttributes);

    // What --clean-up does later.
    await cleanUpWorkflow("auto-confirm", ctx, { username: "test_user_1" });
    expect(await userStatus(ctx, "test_user_1")).toBeUndefined();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
  });

  it("stops after three refused answers, and still asks whether to remove what was made", async () => {
    const ui = replayUi(["0", "4", "x", "y"]);
    const ctx = contextFor(ui);
    await expect(autoConfirmWorkflow(ctx)).rejects.toThrow(
      'no acceptable answer to "Enter a choice between 1 and 3:" after 3 tries',
    );
    expect(prompts(ui).at(-1)).toBe(REMOVE);
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
  });
});

describe("migrate-user, asked step for step", () => {
  it("takes the typed user and email, catches PasswordResetRequiredException, refuses a wrong code and asks again", async () => {
    const ui = replayUi(["chester_tester", "chester@example.com", "y", "0000000", PASSWORD, "", "y"]);
    const ctx = contextFor(ui);

    const result = await migrateUserWorkflow(ctx);

    expect(prompts(ui)).toEqual([
      "Enter a username:",
      "Enter an email that you own:",
      "In order to migrate the user to Cognito, you must be able to receive a confirmation\ncode by email at chester@example.com. Do you want to send a code (y/n)?",
      "Check your email and enter the code here:",
      PASSWORD_PROMPT,
      "Check your email and enter the code here:",
      REMOVE,
    ]);
    // Locally the code question offers the outbox's code, and says where it came from.
    const code = ui.turns[3]?.suggestion;
    expect(code).toMatch(/^\d{6}$/);
    expect(ui.turns[5]?.suggestion).toBe(code);
    const said = ui.transcript.join("\n");
    expect(said).toContain(
      `the local edge's outbox (cognito-triggers outbox --user chester_tester). Its code, ${code}`,
    );
    expect(said).toContain(
      "Adding user 'chester_tester' with email 'chester@example.com' to the known-users table",
    );
    expect(said).toContain("Password reset required for the user (PasswordResetRequiredException).");
    expect(said).toContain("That is not the code Cognito sent (CodeMismatchException).");
    expect(said).toContain("User 'chester_tester' successfully confirmed and migrated.");
    expect(said).toMatch(/Successfully signed in\. Your access token starts with/);

    expect(result).toMatchObject({
      username: "chester_tester",
      email: "chester@example.com",
      resetRequired: true,
      codeSent: true,
      wrongCodes: 1,
      signedIn: true,
      removed: true,
    });
    expect(result.logLines.join("\n")).toContain("Migrating chester_tester (chester@example.com).");
    // y: the user and its known-users entry are gone, the stack's triggers are back.
    expect(await userStatus(ctx, "chester_tester")).toBeUndefined();
    const entry = await ctx.clients.dynamodb.send(
      new GetItemCommand({
        TableName: ctx.stack.tableName,
        Key: { UserEmail: { S: "chester@example.com" } },
      }),
    );
    expect(entry.Item).toBeUndefined();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
  });

  it("n to the code leaves the user waiting for its reset; n at the end keeps it and the trigger", async () => {
    const ui = replayUi(["", "", "n", "n"]);
    const ctx = contextFor(ui);
    const result = await migrateUserWorkflow(ctx);
    expect(ui.turns.map((turn) => turn.suggestion).slice(0, 2)).toEqual([
      "migrated_user",
      "migrated_user@example.com",
    ]);
    expect(result).toMatchObject({
      username: "migrated_user",
      codeSent: false,
      signedIn: false,
      removed: false,
    });
    expect(await userStatus(ctx, "migrated_user")).toBe("RESET_REQUIRED");
    expect((await lambdaConfig(ctx)).UserMigration).toBe(ctx.stack.functions.migrateUser);
    expect((await lambdaConfig(ctx)).PreSignUp).toBeUndefined();

    // A second run refuses the kept username and says how to remove it.
    const again = replayUi(["migrated_user", "other_user", "", "n", "y"]);
    const result2 = await migrateUserWorkflow(contextFor(again));
    expect(again.transcript.join("\n")).toContain(
      "migrated_user is already in the user pool (an earlier run kept it): enter another username, or remove it with\n  cognito-triggers workflow migrate-user --clean-up --user migrated_user",
    );
    expect(result2).toMatchObject({ username: "other_user", email: "other_user@example.com", removed: true });

    await cleanUpWorkflow("migrate-user", ctx, { username: "migrated_user" });
    expect(await userStatus(ctx, "migrated_user")).toBeUndefined();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
  });
});

describe("activity-log, asked step for step", () => {
  it("creates test_user_1, sets the typed password, signs in once and shows the LastLogin record", async () => {
    const ui = replayUi([PASSWORD, "", "", "y"]);
    const ctx = contextFor(ui);
    const result = await activityLogWorkflow(ctx);
    expect(prompts(ui)).toEqual([
      PASSWORD_PROMPT,
      "Press Enter when you're ready.",
      "Press Enter when you're ready to continue.",
      REMOVE,
    ]);
    const said = ui.transcript.join("\n");
    expect(said.indexOf("Adding known user test_user_1 to the user pool.")).toBeLessThan(
      said.indexOf("Setting password for user 'test_user_1'."),
    );
    expect(said.indexOf("Setting password for user 'test_user_1'.")).toBeLessThan(
      said.indexOf("to handle the PostAuthentication trigger"),
    );
    expect(result.record).toMatchObject({
      UserName: "test_user_1",
      UserEmail: "test_email_1@example.com",
      LastLogin: { UserPoolId: ctx.stack.userPoolId, ClientId: ctx.stack.clientId },
    });
    expect(said).toContain(
      `The last login info for the user in the known-users table is:\n  {"UserPoolId":"${ctx.stack.userPoolId}"`,
    );
    // Only this scenario's sign-in, although earlier tests signed in other users on the same pool.
    expect(result.logLines.filter((line) => line.includes('"UserName":'))).toEqual([
      expect.stringContaining('"UserName":"test_user_1"'),
    ]);
    expect(result.removed).toBe(true);
    expect(await userStatus(ctx, "test_user_1")).toBeUndefined();
    expect(await lambdaConfig(ctx)).toMatchObject(stackWiring());
  });
});

describe("cognito-triggers workflow", () => {
  const io = (out: string[], err: string[]) => ({
    stdout: (text: string) => {
      out.push(text);
    },
    stderr: (text: string) => {
      err.push(text);
    },
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, USER_SERVICE_URL: "http://127.0.0.1:9" },
    clock: systemClock,
  });

  it("--yes answers every question with its default on a stack it starts in memory", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ["workflow", "auto-confirm", "--yes", "--password", "Another-Passw0rd", "--memory"],
      io(out, err),
    );
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    const text = out.join("");
    expect(text).toContain("Enter a choice between 1 and 3: 1");
    expect(text).toContain("(the password will not display as you type): ******** (--password)");
    expect(text).not.toContain("Another-Passw0rd");
    expect(text).toContain("User test_user_1 signed up, confirmed = true.");
    expect(text).toContain(`${REMOVE} y`);
    expect(text).toContain("Thanks for watching!");
    expect(text).toContain("Workflow auto-confirm finished.");
  });

  it("--yes refuses a --password the pool's policy refuses", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ["workflow", "activity-log", "--yes", "--password", "weak", "--memory"],
      io(out, err),
    );
    expect(code).toBe(1);
    expect(err.join("")).toContain("the password given with --password: Password not long enough");
    // The closing question was still answered (y): nothing is left behind.
    expect(out.join("")).toContain("the pool's triggers are back as the stack wires them");
  });

  it("refuses an unknown workflow", async () => {
    const err: string[] = [];
    const code = await main(["workflow", "nope"], io([], err));
    expect(code).toBe(2);
    expect(err.join("")).toContain("auto-confirm, migrate-user, activity-log");
  });
});
