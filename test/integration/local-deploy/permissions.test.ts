// Permission enforcement end to end: a deployed trigger runs only with an AWS::Lambda::Permission (or AddPermission) for its pool.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  AddPermissionCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionHandler, permissionHandler } from "../../../src/local-deploy/resources/lambda.js";
import type { ResourceContext } from "../../../src/local-deploy/types.js";
import { errorOf, startTestServer, type TestServer } from "../../helpers/server.js";
import { createClient, createPool, PASSWORD, unique } from "../cognito/auth-fixtures.js";

const TRIGGERS = resolve(import.meta.dirname, "../../fixtures/handlers/triggers");
const FUNCTION = "svc-dev-autoConfirm";
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${FUNCTION}`;
const DENIED = "PreSignUp invocation failed due to error AccessDeniedException.";

let t: TestServer;
let lambda: LambdaClient;
const events = mkdtempSync(join(tmpdir(), "cognito-triggers-permissions-"));

const context = (logicalId: string): ResourceContext => ({
  server: t.server,
  stackName: "svc-dev",
  region: "us-east-1",
  accountId: "000000000000",
  logicalId,
  serviceDir: TRIGGERS,
  warn: () => {},
});

beforeAll(async () => {
  t = await startTestServer();
  lambda = new LambdaClient({
    endpoint: t.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  // Deployed as `up` deploys it: the function is enforced from now on.
  await functionHandler.create(
    {
      FunctionName: FUNCTION,
      Handler: "pre-sign-up.autoConfirm",
      Runtime: "nodejs20.x",
      Environment: { Variables: { TRIGGER_EVENTS_DIR: events } },
    },
    context("AutoConfirmLambdaFunction"),
  );
});
afterAll(async () => {
  lambda.destroy();
  t.cognito.destroy();
  await t.server.close();
  rmSync(events, { recursive: true, force: true });
});

async function poolWithTrigger() {
  const poolId = await createPool(t.cognito, { LambdaConfig: { PreSignUp: FUNCTION_ARN } });
  const { clientId } = await createClient(t.cognito, poolId);
  const poolArn = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`;
  const signUp = () =>
    t.cognito.send(new SignUpCommand({ ClientId: clientId, Username: unique("ann"), Password: PASSWORD }));
  return { poolId, poolArn, signUp };
}

describe("a deployed trigger without a permission for its pool", () => {
  it("fails SignUp as AWS does: UnexpectedLambdaException ... AccessDeniedException", async () => {
    const { signUp } = await poolWithTrigger();
    expect(await errorOf(signUp())).toEqual({ name: "UnexpectedLambdaException", message: DENIED });
  });

  it("runs once an AWS::Lambda::Permission names the pool, and fails again once it is deleted", async () => {
    const { poolArn, signUp } = await poolWithTrigger();
    const properties = {
      Action: "lambda:InvokeFunction",
      FunctionName: FUNCTION_ARN,
      Principal: "cognito-idp.amazonaws.com",
      SourceArn: poolArn,
    };
    const { physicalId } = await permissionHandler.create(properties, context("AutoConfirmPermission"));
    const out = await signUp();
    expect(out.UserConfirmed).toBe(true);
    await permissionHandler.delete(physicalId, properties, context("AutoConfirmPermission"));
    expect(await errorOf(signUp())).toEqual({ name: "UnexpectedLambdaException", message: DENIED });
  });

  it("a permission for another pool, or another principal, does not let this pool invoke", async () => {
    const { poolArn, signUp } = await poolWithTrigger();
    await permissionHandler.create(
      {
        Action: "lambda:InvokeFunction",
        FunctionName: FUNCTION,
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: `${poolArn}-other`,
      },
      context("OtherPoolPermission"),
    );
    await permissionHandler.create(
      {
        Action: "lambda:InvokeFunction",
        FunctionName: FUNCTION,
        Principal: "s3.amazonaws.com",
        SourceArn: poolArn,
      },
      context("OtherPrincipalPermission"),
    );
    expect(await errorOf(signUp())).toEqual({ name: "UnexpectedLambdaException", message: DENIED });
  });

  it("a wildcard SourceArn (as Serverless writes for existing pools) allows every pool of the account", async () => {
    const { signUp } = await poolWithTrigger();
    const properties = {
      Action: "lambda:InvokeFunction",
      FunctionName: FUNCTION,
      Principal: "cognito-idp.amazonaws.com",
      SourceArn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/*",
    };
    const { physicalId } = await permissionHandler.create(properties, context("WildcardPermission"));
    expect((await signUp()).UserConfirmed).toBe(true);
    await permissionHandler.delete(physicalId, properties, context("WildcardPermission"));
  });
});

describe("the Lambda policy API (AddPermission, RemovePermission, GetPolicy) through @aws-sdk/client-lambda", () => {
  it("AddPermission lets the pool invoke; GetPolicy shows it; RemovePermission takes it away", async () => {
    const { poolArn, signUp } = await poolWithTrigger();
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: FUNCTION,
        StatementId: "cognito-pool",
        Action: "lambda:InvokeFunction",
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: poolArn,
        SourceAccount: "000000000000",
      }),
    );
    expect(JSON.parse(added.Statement ?? "{}")).toEqual({
      Sid: "cognito-pool",
      Effect: "Allow",
      Principal: { Service: "cognito-idp.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FUNCTION_ARN,
      Condition: {
        StringEquals: { "AWS:SourceAccount": "000000000000" },
        ArnLike: { "AWS:SourceArn": poolArn },
      },
    });
    expect((await signUp()).UserConfirmed).toBe(true);

    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION_ARN }));
    const document = JSON.parse(policy.Policy ?? "{}") as { Statement: { Sid: string }[] };
    expect(document.Statement.map((s) => s.Sid)).toContain("cognito-pool");
    expect(policy.RevisionId).toBeTruthy();

    await lambda.send(new RemovePermissionCommand({ FunctionName: FUNCTION, StatementId: "cognito-pool" }));
    expect(await errorOf(signUp())).toEqual({ name: "UnexpectedLambdaException", message: DENIED });
  });

  it("answers Lambda's errors: duplicate sid 409, unknown sid and unknown function 404", async () => {
    const input = {
      FunctionName: FUNCTION,
      StatementId: "dup",
      Action: "lambda:InvokeFunction",
      Principal: "cognito-idp.amazonaws.com",
    };
    await lambda.send(new AddPermissionCommand(input));
    const duplicate = await errorOf(lambda.send(new AddPermissionCommand(input)));
    expect(duplicate.name).toBe("ResourceConflictException");
    expect(duplicate.message).toMatch(/The statement id \(dup\) provided already exists/);
    await lambda.send(new RemovePermissionCommand({ FunctionName: FUNCTION, StatementId: "dup" }));

    const missingSid = await errorOf(
      lambda.send(new RemovePermissionCommand({ FunctionName: FUNCTION, StatementId: "dup" })),
    );
    expect(missingSid.name).toBe("ResourceNotFoundException");
    const missingFunction = await errorOf(
      lambda.send(new AddPermissionCommand({ ...input, FunctionName: "nope" })),
    );
    expect(missingFunction).toEqual({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope",
    });
    const noPolicy = await errorOf(lambda.send(new GetPolicyCommand({ FunctionName: "nope" })));
    expect(noPolicy.name).toBe("ResourceNotFoundException");
  });
});

describe("functions the edge runs without a deployment (serve --functions)", () => {
  it("are not enforced: a pool invokes them without any permission", async () => {
    t.server.deps.lambda.permissions.enforce(FUNCTION, false);
    try {
      const { signUp } = await poolWithTrigger();
      expect((await signUp()).UserConfirmed).toBe(true);
    } finally {
      t.server.deps.lambda.permissions.enforce(FUNCTION, true);
    }
  });
});
