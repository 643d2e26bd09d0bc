// The existing-pool path through `upStack`: a pool made first on a data dir, then the service deployed onto it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../../src/edge/create-server.js";
import type { MutableFunctionRegistry } from "../../../src/lambda/registry.js";
import { type LocalStack, upStack } from "../../../src/local-deploy/up.js";
import { TestClock } from "../../helpers/server.js";

const REGION = "us-east-1";
const POOL = "shared-pool";
const arnOf = (name: string) => `arn:aws:lambda:${REGION}:000000000000:function:${name}`;
const GATE = "legacy-dev-gate";
const OTHER = "someone-elses-welcome";

const SERVERLESS_YML = `service: legacy
provider:
  name: aws
  runtime: nodejs20.x
  region: ${REGION}
functions:
  gate:
    handler: handler.gate
    events:
      - cognitoUserPool:
          pool: ${POOL}
          trigger: PreSignUp
          existing: true
          forceDeploy: true
      - cognitoUserPool:
          pool: ${POOL}
          trigger: CustomMessage
          existing: true
`;

const HANDLER_MJS = `export const gate = async (event) => {
  if (event.triggerSource === "PreSignUp_SignUp") event.response.autoConfirmUser = true;
  return event;
};
export const welcome = async (event) => event;
`;

/** Every setting but LambdaConfig (and what sign-ups and updates move by themselves). */
function settings(pool: UserPoolType | undefined): Record<string, unknown> {
  const { LambdaConfig: _l, LastModifiedDate: _m, EstimatedNumberOfUsers: _n, ...rest } = pool ?? {};
  return rest;
}

const client = (url: string) =>
  new CognitoIdentityProviderClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });

describe("existing pool deployed with upStack", () => {
  const clock = new TestClock();
  let dir: string;
  let dataDir: string;
  let poolId: string;
  let clientId: string;
  let before: UserPoolType | undefined;
  let stack: LocalStack | undefined;
  let cognito: CognitoIdentityProviderClient;
  const lines: string[] = [];

  const describePool = async () =>
    (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "existing-pool-up-"));
    dataDir = join(dir, ".data");
    await writeFile(join(dir, "serverless.yml"), SERVERLESS_YML);
    await writeFile(join(dir, "handler.mjs"), HANDLER_MJS);
    // The pool exists before the service: made by another stack, kept in the same data dir.
    const first = await startServer({ port: 0, host: "127.0.0.1", dataDir, clock, region: REGION });
    const setup = client(first.url);
    try {
      const created = await setup.send(
        new CreateUserPoolCommand({
          PoolName: POOL,
          MfaConfiguration: "OFF",
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, RequireSymbols: false } },
          AutoVerifiedAttributes: ["email"],
          UsernameAttributes: ["email"],
          UserPoolTags: { team: "identity" },
          LambdaConfig: { PostConfirmation: arnOf(OTHER) },
        }),
      );
      poolId = created.UserPool?.Id ?? "";
      const appClient = await setup.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }),
      );
      clientId = appClient.UserPoolClient?.ClientId ?? "";
      before = (await setup.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
    } finally {
      setup.destroy();
      await first.close();
    }
    stack = await upStack({ cwd: dir, dataDir, port: 0, env: {}, clock, log: (line) => lines.push(line) });
    cognito = client(stack.server.url);
    // The other team's function runs on this edge too, so the pool's PostConfirmation can be invoked.
    (stack.server.deps.lambda.functions as MutableFunctionRegistry).put({
      name: OTHER,
      arn: arnOf(OTHER),
      modulePath: join(dir, "handler.mjs"),
      exportName: "welcome",
      cwd: dir,
      runtime: "nodejs20.x",
      timeout: 6,
      memorySize: 128,
      environment: {},
    });
  });

  afterAll(async () => {
    cognito?.destroy();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("up attaches the triggers through the custom resource, leaving every other setting alone", async () => {
    expect(stack?.state().resources.GateCustomCognitoUserPool1).toBeDefined();
    const after = await describePool();
    expect(after?.LambdaConfig).toEqual({
      PostConfirmation: arnOf(OTHER),
      PreSignUp: arnOf(GATE),
      CustomMessage: arnOf(GATE),
    });
    expect(settings(after)).toEqual(settings(before));
  });

  it("the deployed trigger runs with the permission the custom resource added", async () => {
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "ada@example.com",
        Password: "correct-horse-42",
        UserAttributes: [{ Name: "email", Value: "ada@example.com" }],
      }),
    );
    expect(signUp.UserConfirmed).toBe(true);
  });

  it("a redeploy with forceDeploy re-applies triggers someone wiped with UpdateUserPool", async () => {
    const current = await describePool();
    await cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        MfaConfiguration: current?.MfaConfiguration,
        Policies: current?.Policies,
        AutoVerifiedAttributes: current?.AutoVerifiedAttributes,
        UserPoolTags: current?.UserPoolTags,
        LambdaConfig: { PostConfirmation: arnOf(OTHER) },
      }),
    );
    clock.advance(60_000);
    await stack?.redeploy();
    const after = await describePool();
    expect(after?.LambdaConfig).toEqual({
      PostConfirmation: arnOf(OTHER),
      PreSignUp: arnOf(GATE),
      CustomMessage: arnOf(GATE),
    });
    expect(settings(after)).toEqual(settings(before));
  });

  it("down removes only this service's triggers; the pool and its users stay", async () => {
    await stack?.down();
    const after = await describePool();
    expect(after?.LambdaConfig ?? {}).toEqual({ PostConfirmation: arnOf(OTHER) });
    expect(settings(after)).toEqual(settings(before));
    expect(after?.EstimatedNumberOfUsers).toBe(1);
  });
});
