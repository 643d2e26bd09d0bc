// `cognito-triggers event` and `invoke` as processes: sample events, and handlers run on them as Cognito would judge them.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEvent } from "../../src/triggers/build-event.js";
import { SOURCES } from "../../src/triggers/sources.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
/** The built binary (npm test builds it first); COGNITO_TRIGGERS_BIN points at another build. */
const BIN = process.env.COGNITO_TRIGGERS_BIN ?? join(ROOT, "dist", "cli", "bin.js");
const EXAMPLE = join(ROOT, "examples", "user-pools-and-triggers", "serverless.yml");

async function cli(args: string[], cwd = ROOT) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const SERVICE = `service: invoke-fixture
frameworkVersion: "3"
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-west-1
  environment:
    GREETING: hello
functions:
  preSignUp:
    handler: handlers/plain.preSignUp
    events:
      - cognitoUserPool: { pool: Users, trigger: PreSignUp }
  refuse:
    handler: handlers/plain.refuse
    events:
      - cognitoUserPool: { pool: Users, trigger: PreAuthentication }
  confirmed:
    handler: handlers/plain.confirmed
    events:
      - cognitoUserPool: { pool: Users, trigger: PostConfirmation }
  preToken:
    handler: handlers/plain.preToken
    events:
      - cognitoUserPool: { pool: Users, trigger: PreTokenGeneration, lambdaVersion: V2_0 }
  welcome:
    handler: handlers/typed.handler
    events:
      - cognitoUserPool: { pool: Users, trigger: CustomMessage }
  noCode:
    handler: handlers/plain.noCode
    events:
      - cognitoUserPool: { pool: Others, trigger: CustomMessage }
  garbage:
    handler: handlers/plain.garbage
  slow:
    handler: handlers/plain.slow
    timeout: 1
`;

const PLAIN = `// Plain JavaScript trigger handlers.
export async function preSignUp(event) {
  console.log("PreSignUp for " + event.userName);
  if ((event.request.userAttributes.email ?? "").endsWith("@example.com")) event.response.autoConfirmUser = true;
  return event;
}
export async function refuse() {
  throw new Error("Not on the list");
}
export function confirmed(event, context, callback) {
  console.log("confirmed in " + context.functionName);
  callback(null, event);
}
export async function preToken(event) {
  const claims = { greeting: process.env.GREETING, endpoint: process.env.AWS_ENDPOINT_URL ?? "none" };
  if (event.version === "1") event.response.claimsOverrideDetails = { claimsToAddOrOverride: claims };
  else event.response.claimsAndScopeOverrideDetails = { idTokenGeneration: { claimsToAddOrOverride: claims } };
  return event;
}
export async function noCode(event) {
  event.response.emailMessage = "Welcome!";
  return event;
}
export async function garbage() {
  return "not an event";
}
export async function slow(event) {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return event;
}
`;

const TYPED = `// A TypeScript handler written with the package's helpers.
import { customMessage, defineTrigger } from ${JSON.stringify(join(ROOT, "src", "index.ts"))};

export const handler = defineTrigger("CustomMessage", async (event) =>
  customMessage(event, ({ code, username }) => ({
    emailSubject: "Welcome",
    emailMessage: \`Hello \${username}, your code is \${code}\`,
  })),
);
`;

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ct-invoke-"));
  await mkdir(join(dir, "handlers"));
  config = join(dir, "serverless.yml");
  await writeFile(config, SERVICE);
  await writeFile(join(dir, "handlers", "plain.mjs"), PLAIN);
  await writeFile(join(dir, "handlers", "typed.ts"), TYPED);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: the tests walk printed JSON freely.
const json = (text: string) => JSON.parse(text) as Record<string, any>;

/** Lambda's START, END and REPORT lines for one request, in order. */
function expectLambdaLog(stderr: string): void {
  const start = stderr.match(/^START RequestId: ([0-9a-f-]{36}) Version: \$LATEST$/m);
  expect(start, stderr).not.toBeNull();
  const id = start?.[1] as string;
  expect(stderr).toMatch(new RegExp(`^END RequestId: ${id}$`, "m"));
  expect(stderr).toMatch(
    new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms`, "m"),
  );
  expect(stderr.indexOf("START")).toBeLessThan(stderr.indexOf("END RequestId"));
}

describe("cognito-triggers event", () => {
  it("prints the event buildEvent builds", async () => {
    const { code, stdout } = await cli([
      "event",
      "PreSignUp_SignUp",
      "--username",
      "ana",
      "--attr",
      "email=ana@example.com",
      "--attr",
      "custom:plan=a=b",
      "--pool",
      "eu-central-1_AbCdEf123",
      "--client",
      "abc123",
      "--metadata",
      "origin=web",
      "--validation-data",
      "captcha=ok",
    ]);
    expect(code).toBe(0);
    expect(json(stdout)).toEqual(
      buildEvent("PreSignUp_SignUp", {
        userName: "ana",
        userAttributes: { email: "ana@example.com", "custom:plan": "a=b" },
        userPoolId: "eu-central-1_AbCdEf123",
        clientId: "abc123",
        clientMetadata: { origin: "web" },
        validationData: { captcha: "ok" },
      }),
    );
    expect(json(stdout).region).toBe("eu-central-1");
  });

  it("--lambda-version picks the PreTokenGeneration event", async () => {
    const { code, stdout } = await cli([
      "event",
      "TokenGeneration_RefreshTokens",
      "--lambda-version",
      "V3_0",
    ]);
    expect(code).toBe(0);
    expect(json(stdout)).toEqual(buildEvent("TokenGeneration_RefreshTokens", { version: "3" }));
  });

  it("--list names every source with its trigger", async () => {
    const { code, stdout } = await cli(["event", "--list"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(SOURCES.length);
    expect(lines[0]).toMatch(/^PreSignUp_SignUp +PreSignUp +SignUp$/);
    expect(stdout).toMatch(/InboundFederation_ExternalProvider +InboundFederation .*not fired locally/);
  });

  it("usage errors exit 2", async () => {
    const missing = await cli(["event"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: name one trigger source \(got 0\)/);
    const typo = await cli(["event", "PreSignup_SignUp"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'error: unknown trigger source "PreSignup_SignUp"; did you mean "PreSignUp_SignUp"?\n',
    );
    const attr = await cli(["event", "PreSignUp_SignUp", "--attr", "email"]);
    expect(attr.code).toBe(2);
    expect(attr.stderr).toBe('error: --attr takes name=value, not "email"\n');
    const version = await cli(["event", "TokenGeneration_ClientCredentials", "--lambda-version", "V1_0"]);
    expect(version.code).toBe(2);
    expect(version.stderr).toBe(
      'error: TokenGeneration_ClientCredentials events have version "3", not "1"\n',
    );
    const option = await cli(["event", "PreSignUp_SignUp", "--nope"]);
    expect(option.code).toBe(2);
  });
});

describe("cognito-triggers invoke: the example service", () => {
  it("runs the TypeScript PreSignUp handler on PreSignUp_AdminCreateUser (it returns at once)", async () => {
    const { code, stdout, stderr } = await cli([
      "invoke",
      "autoConfirm",
      "--source",
      "PreSignUp_AdminCreateUser",
      "--config",
      EXAMPLE,
      "--username",
      "ana",
      "--attr",
      "email=ana@example.com",
    ]);
    expect(code, stderr).toBe(0);
    expect(json(stdout)).toEqual(
      buildEvent("PreSignUp_AdminCreateUser", {
        userName: "ana",
        userAttributes: { email: "ana@example.com" },
      }),
    );
    expectLambdaLog(stderr);
    expect(stderr).toMatch(/Memory Size: 256 MB/);
  });

  it("names the functions when the one asked for does not exist", async () => {
    const { code, stderr } = await cli([
      "invoke",
      "nope",
      "--source",
      "PreSignUp_SignUp",
      "--config",
      EXAMPLE,
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: no function "nope" in ${EXAMPLE} (functions: autoConfirm, migrateUser, activityLog, userSync)\n`,
    );
  });
});

describe("cognito-triggers invoke: a service of plain and typed handlers", () => {
  it("prints what the handler returned, its console output and Lambda's lines; exit 0", async () => {
    const { code, stdout, stderr } = await cli([
      "invoke",
      "preSignUp",
      "--source",
      "PreSignUp_SignUp",
      "--username",
      "ana",
      "--attr",
      "email=ana@example.com",
      "--config",
      config,
    ]);
    expect(code, stderr).toBe(0);
    const returned = json(stdout);
    expect(returned.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    // The service's region, as the function's ARN has it.
    expect(returned.region).toBe("eu-west-1");
    expectLambdaLog(stderr);
    expect(stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\tPreSignUp for ana$/m);
  });

  it("takes the function's trigger when --source is left out, the working directory's serverless.yml, the pool's region", async () => {
    const { code, stdout, stderr } = await cli(
      ["invoke", "confirmed", "--pool", "ap-southeast-2_AbCdEf123"],
      dir,
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      /^note: no --source given: confirmed is the PostConfirmation trigger, invoking it with PostConfirmation_ConfirmSignUp$/m,
    );
    expect(json(stdout).triggerSource).toBe("PostConfirmation_ConfirmSignUp");
    // A pool id names its region.
    expect(json(stdout).region).toBe("ap-southeast-2");
    expect(stderr).toMatch(/INFO\tconfirmed in invoke-fixture-dev-confirmed$/m);
  });

  it("a handler that throws: Lambda's error payload, Cognito's UserLambdaValidationException; exit 1", async () => {
    const { code, stdout, stderr } = await cli(["invoke", "refuse", "--config", config]);
    expect(code).toBe(1);
    expect(json(stdout)).toMatchObject({ errorType: "Error", errorMessage: "Not on the list" });
    expectLambdaLog(stderr);
    expect(stderr).toMatch(/\tERROR\tInvoke Error \t/);
    expect(stderr).toContain(
      "Cognito would answer UserLambdaValidationException: PreAuthentication failed with error Not on the list.\n",
    );
  });

  it("a custom message Cognito rejects; a response it cannot read; exit 1", async () => {
    const noCode = await cli(["invoke", "noCode", "--source", "CustomMessage_SignUp", "--config", config]);
    expect(noCode.code).toBe(1);
    expect(noCode.stderr).toContain(
      "Cognito would answer InvalidParameterException: 1 validation error detected: Value 'Welcome!' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern:",
    );
    const garbage = await cli(["invoke", "garbage", "--source", "PreSignUp_SignUp", "--config", config]);
    expect(garbage.code).toBe(1);
    expect(garbage.stdout).toBe('"not an event"\n');
    expect(garbage.stderr).toContain(
      "Cognito would answer InvalidLambdaResponseException: Unrecognizable lambda output\n",
    );
  });

  it("a handler past its timeout: Cognito's UnexpectedLambdaException; exit 1", async () => {
    const { code, stderr } = await cli([
      "invoke",
      "slow",
      "--source",
      "PreSignUp_SignUp",
      "--config",
      config,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Task timed out after \d\.\d\d seconds/);
    expect(stderr).toContain("error: the handler timed out\n");
    expect(stderr).toContain(
      "Cognito would answer UnexpectedLambdaException: PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.\n",
    );
  });

  it("a TypeScript handler written with defineTrigger and customMessage", async () => {
    const { code, stdout, stderr } = await cli([
      "invoke",
      "welcome",
      "--source",
      "CustomMessage_AdminCreateUser",
      "--username",
      "bo",
      "--config",
      config,
    ]);
    expect(code, stderr).toBe(0);
    expect(json(stdout).response).toEqual({
      smsMessage: null,
      emailSubject: "Welcome",
      emailMessage: "Hello {username}, your code is {####}",
    });
  });

  it("PreTokenGeneration gets the pool's event version, the function's environment and --endpoint-url", async () => {
    const { code, stdout, stderr } = await cli([
      "invoke",
      "preToken",
      "--source",
      "TokenGeneration_Authentication",
      "--endpoint-url",
      "http://127.0.0.1:9339",
      "--config",
      config,
    ]);
    expect(code, stderr).toBe(0);
    const returned = json(stdout);
    expect(returned.version).toBe("2");
    expect(returned.request.scopes).toEqual(["aws.cognito.signin.user.admin"]);
    expect(returned.response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride).toEqual({
      greeting: "hello",
      endpoint: "http://127.0.0.1:9339",
    });
    const v1 = await cli([
      "invoke",
      "preToken",
      "--source",
      "TokenGeneration_RefreshTokens",
      "--lambda-version",
      "V1_0",
      "--config",
      config,
    ]);
    expect(v1.code, v1.stderr).toBe(0);
    expect(json(v1.stdout).response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({
      greeting: "hello",
      endpoint: "none",
    });
  });

  it("--event runs the handler on an event from a file; a source of another trigger is noted", async () => {
    const file = join(dir, "event.json");
    const event = buildEvent("PreSignUp_SignUp", {
      userName: "cy",
      userAttributes: { email: "cy@example.com" },
    });
    await writeFile(file, JSON.stringify(event));
    const fromFile = await cli(["invoke", "preSignUp", "--event", "event.json"], dir);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(json(fromFile.stdout)).toEqual({
      ...event,
      response: { ...event.response, autoConfirmUser: true },
    });
    const other = await cli(["invoke", "preSignUp", "--source", "PostConfirmation_ConfirmSignUp"], dir);
    expect(other.stderr).toMatch(
      /^note: preSignUp is wired to PreSignUp in serverless.yml, not to PostConfirmation; invoking it anyway$/m,
    );
  });

  it("usage errors exit 2", async () => {
    const none = await cli(["invoke", "--config", config]);
    expect(none.code).toBe(2);
    const noSource = await cli(["invoke", "garbage", "--config", config]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toBe(
      "error: --source is required: garbage has no cognitoUserPool event to take a trigger from\n",
    );
    const both = await cli(["invoke", "preSignUp", "--event", "x.json", "--source", "PreSignUp_SignUp"], dir);
    expect(both.code).toBe(2);
    const unreadable = await cli(["invoke", "preSignUp", "--event", "missing.json"], dir);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^error: cannot read the event in missing.json: ENOENT/);
    const config404 = await cli(["invoke", "preSignUp", "--config", "nope.yml"], dir);
    expect(config404.code).toBe(2);
    expect(config404.stderr).toContain("[CONFIG_NOT_FOUND]");
  });
});
