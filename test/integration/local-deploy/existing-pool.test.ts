// The existing-pool path end to end: a pool made first, then a service's Custom::CognitoUserPool run against the edge.
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
import { compile } from "../../../src/compiler/compile.js";
import { loadService } from "../../../src/compiler/load-service.js";
import { type RunningServer, startServer } from "../../../src/edge/create-server.js";
import type { FunctionDefinition } from "../../../src/lambda/ports.js";
import { createMutableRegistry } from "../../../src/lambda/registry.js";
import { createCustomCognitoUserPoolHandler } from "../../../src/local-deploy/resources/custom-cognito-user-pool.js";
import type { ResourceContext } from "../../../src/local-deploy/types.js";
import { TestClock } from "../../helpers/server.js";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const POOL = "shared-pool";
const arnOf = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const GATE = "legacy-dev-gate";
const OTHER = "someone-elses-welcome";
const LOGICAL_ID = "GateCustomCognitoUserPool1";

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

// Auto-confirms every sign-up, so a confirmed user proves the trigger ran with its permission.
const HANDLER_MJS = `export const gate = async (event) => {
  if (event.triggerSource === "PreSignUp_SignUp") event.response.autoConfirmUser = true;
  return event;
};
export const welcome = async (event) => event;
`;

function definition(name: string, exportName: string, dir: string): FunctionDefinition {
  return {
    name,
    arn: arnOf(name),
    modulePath: join(dir, "handler.mjs"),
    exportName,
    cwd: dir,
    runtime: "nodejs20.x",
    timeout: 6,
    memorySize: 256,
    environment: {},
  };
}

/** Every setting but the one the custom resource may change (not the timestamp or the sign-up's user count). */
function settings(pool: UserPoolType | undefined): Record<string, unknown> {
  const { LambdaConfig: _l, LastModifiedDate: _m, EstimatedNumberOfUsers: _n, ...rest } = pool ?? {};
  return rest;
}

describe("existing pool: Custom::CognitoUserPool against the local edge", () => {
  let dir: string;
  let server: RunningServer;
  let cognito: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let before: UserPoolType | undefined;
  const clock = new TestClock();
  const handler = createCustomCognitoUserPoolHandler();
  const warnings: string[] = [];
  let properties: Record<string, unknown>;

  const ctx = (): ResourceContext => ({
    server,
    stackName: "legacy-dev",
    region: REGION,
    accountId: ACCOUNT,
    logicalId: LOGICAL_ID,
    serviceDir: dir,
    warn: (message) => warnings.push(message),
  });
  const describePool = async () =>
    (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;

  /** The compiled resource's properties with ServiceToken resolved as the engine would (GetAtt Arn). */
  async function compiledProperties(): Promise<Record<string, unknown>> {
    const loaded = await loadService({ cwd: dir, env: {} });
    const { template } = compile(
      { config: loaded.config, stage: loaded.stage, region: loaded.region },
      { clock, artifactHashes: () => "hash" },
    );
    const resource = template.Resources[LOGICAL_ID] as { Type: string; Properties: Record<string, unknown> };
    expect(resource.Type).toBe("Custom::CognitoUserPool");
    expect(resource.Properties.ServiceToken).toEqual({
      "Fn::GetAtt": ["CustomDashresourceDashexistingDashcupLambdaFunction", "Arn"],
    });
    return { ...resource.Properties, ServiceToken: arnOf("legacy-dev-custom-resource-existing-cup") };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "existing-pool-"));
    await writeFile(join(dir, "serverless.yml"), SERVERLESS_YML);
    await writeFile(join(dir, "handler.mjs"), HANDLER_MJS);
    const registry = createMutableRegistry([
      definition(GATE, "gate", dir),
      definition(OTHER, "welcome", dir),
    ]);
    server = await startServer({
      port: 0,
      host: "127.0.0.1",
      dataDir: join(dir, ".data"),
      clock,
      registry,
      region: REGION,
      accountId: ACCOUNT,
    });
    server.deps.lambda.permissions.enforce(GATE, true);
    cognito = new CognitoIdentityProviderClient({
      endpoint: server.url,
      region: REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: POOL,
        MfaConfiguration: "OFF",
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: false,
            RequireNumbers: true,
            RequireSymbols: false,
          },
        },
        AutoVerifiedAttributes: ["email"],
        UsernameAttributes: ["email"],
        UserPoolTags: { team: "identity" },
        LambdaConfig: { PostConfirmation: arnOf(OTHER) },
      }),
    );
    poolId = created.UserPool?.Id ?? "";
    const client = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }),
    );
    clientId = client.UserPoolClient?.ClientId ?? "";
    // A second pool of another name must never be touched.
    await cognito.send(new CreateUserPoolCommand({ PoolName: "unrelated" }));
    before = await describePool();
    properties = await compiledProperties();
  });

  afterAll(async () => {
    cognito?.destroy();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("Create attaches PreSignUp and CustomMessage and touches no other setting or trigger", async () => {
    clock.advance(1000);
    const result = await handler.create(properties, ctx());
    expect(result).toEqual({
      physicalId: "CustomResourceExistingCognitoUserPool",
      attributes: {
        UserPoolId: poolId,
        UserPoolArn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${poolId}`,
      },
    });
    const after = await describePool();
    expect(after?.LambdaConfig).toEqual({
      PostConfirmation: arnOf(OTHER),
      PreSignUp: arnOf(GATE),
      CustomMessage: arnOf(GATE),
    });
    expect(settings(after)).toEqual(settings(before));
    expect(after?.UserPoolTags).toEqual({ team: "identity" });
    expect(after?.Policies?.PasswordPolicy?.MinimumLength).toBe(12);
  });

  it("adds the permission Cognito needs, so the enforced trigger runs on sign-up", async () => {
    const statements = server.deps.lambda.permissions.list(GATE);
    expect(statements).toEqual([
      expect.objectContaining({
        sid: `${GATE}-${POOL}`,
        action: "lambda:InvokeFunction",
        principal: "cognito-idp.amazonaws.com",
        sourceArn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${poolId}`,
      }),
    ]);
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

  it("Update with a new ForceDeploy re-applies triggers wiped out of band", async () => {
    const wiped = await describePool();
    await cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        MfaConfiguration: wiped?.MfaConfiguration,
        Policies: wiped?.Policies,
        AutoVerifiedAttributes: wiped?.AutoVerifiedAttributes,
        UserPoolTags: wiped?.UserPoolTags,
        LambdaConfig: { PostConfirmation: arnOf(OTHER) },
      }),
    );
    expect((await describePool())?.LambdaConfig).toEqual({ PostConfirmation: arnOf(OTHER) });

    clock.advance(60_000);
    const next = await compiledProperties();
    expect(next.ForceDeploy).not.toEqual(properties.ForceDeploy);
    const result = await handler.update("CustomResourceExistingCognitoUserPool", next, properties, ctx());
    properties = next;
    expect(result.physicalId).toBe("CustomResourceExistingCognitoUserPool");
    const after = await describePool();
    expect(after?.LambdaConfig).toEqual({
      PostConfirmation: arnOf(OTHER),
      PreSignUp: arnOf(GATE),
      CustomMessage: arnOf(GATE),
    });
    expect(settings(after)).toEqual(settings(before));
    expect(server.deps.lambda.permissions.list(GATE)).toHaveLength(1);
  });

  it("Delete removes only this function's triggers and its permission", async () => {
    await handler.delete("CustomResourceExistingCognitoUserPool", properties, ctx());
    const after = await describePool();
    expect(after?.LambdaConfig ?? {}).toEqual({ PostConfirmation: arnOf(OTHER) });
    expect(settings(after)).toEqual(settings(before));
    expect(server.deps.lambda.permissions.list(GATE)).toEqual([]);
  });

  // Cognito reports the deprecated AdminCreateUserConfig.UnusedAccountValidityDays as the twin of
  // PasswordPolicy.TemporaryPasswordValidityDays, and the handler (like Serverless) copies it back.
  it("keeps a non-default TemporaryPasswordValidityDays (edge reports UnusedAccountValidityDays 7)", async () => {
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: "short-temp",
        Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 3 } },
      }),
    );
    const id = created.UserPool?.Id ?? "";
    const target = { ...properties, UserPoolName: "short-temp" };
    try {
      await handler.create(target, ctx());
      const after = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
      expect(after.UserPool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBe(3);
    } finally {
      await handler.delete("CustomResourceExistingCognitoUserPool", target, ctx());
    }
  });

  it("a Create against a pool name that does not exist fails with the handler's reason", async () => {
    await expect(handler.create({ ...properties, UserPoolName: "no-such-pool" }, ctx())).rejects.toThrow(
      /Received response status \[FAILED\] from custom resource\. Message returned: User pool "no-such-pool" was not found/,
    );
    expect(warnings).toEqual([]);
  });
});
