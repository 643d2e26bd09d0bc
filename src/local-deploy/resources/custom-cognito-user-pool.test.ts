// Tests for the local Custom::CognitoUserPool: the request CloudFormation would send, SUCCESS/FAILED, logs, restore.
import { describe, expect, it } from "vitest";
import type { AwsPorts, UpdateUserPoolCommandInput, UserPoolType } from "../../custom-resource/ports.js";
import type { RunningServer } from "../../edge/create-server.js";
import type { LogEvent } from "../../lambda/ports.js";
import { type ResourceContext, ResourceError } from "../types.js";
import {
  asCloudFormationDelivers,
  createCustomCognitoUserPoolHandler,
  customCognitoUserPoolHandlers,
  handlerFunctionName,
} from "./custom-cognito-user-pool.js";
import { RESOURCE_HANDLERS } from "./index.js";

const FN_ARN = "arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-hook";
const SERVICE_TOKEN = "arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-custom-resource-existing-cup";

interface Fake extends AwsPorts {
  pools: Map<string, UserPoolType>;
  updates: UpdateUserPoolCommandInput[];
  permissions: Map<string, string>;
  regions: string[];
}

function fakeAws(): Fake {
  const pools = new Map<string, UserPoolType>([
    ["eu-west-1_pool", { Id: "eu-west-1_pool", Name: "shared", MfaConfiguration: "OFF", LambdaConfig: {} }],
  ]);
  const updates: UpdateUserPoolCommandInput[] = [];
  const permissions = new Map<string, string>();
  return {
    pools,
    updates,
    permissions,
    regions: [],
    cognito: {
      listUserPools: async () => ({ UserPools: [...pools.values()].map(({ Id, Name }) => ({ Id, Name })) }),
      describeUserPool: async (id) => {
        const pool = pools.get(id);
        if (!pool) throw Object.assign(new Error(`no pool ${id}`), { name: "ResourceNotFoundException" });
        return structuredClone(pool);
      },
      updateUserPool: async (input) => {
        updates.push(input);
        const pool = pools.get(input.UserPoolId ?? "");
        if (pool) pool.LambdaConfig = input.LambdaConfig;
      },
    },
    lambda: {
      addPermission: async (input) => {
        const key = `${input.FunctionName}/${input.StatementId}`;
        if (permissions.has(key))
          throw Object.assign(new Error("exists"), { name: "ResourceConflictException" });
        permissions.set(key, input.SourceArn);
      },
      removePermission: async (input) => {
        const key = `${input.FunctionName}/${input.StatementId}`;
        if (!permissions.delete(key))
          throw Object.assign(new Error("gone"), { name: "ResourceNotFoundException" });
      },
    },
  };
}

function harness() {
  const aws = fakeAws();
  const logged: { group: string; stream: string; events: readonly LogEvent[] }[] = [];
  const server = {
    url: "http://127.0.0.1:1",
    port: 1,
    close: async () => {},
    deps: {
      clock: { now: () => Date.UTC(2026, 0, 15, 12) },
      random: {
        bytes: (n: number) => Buffer.alloc(n, 0xab),
        int: () => 0,
        uuid: () => "11111111-2222-4333-8444-555555555555",
      },
      lambda: {
        logs: {
          append: async (group: string, stream: string, events: readonly LogEvent[]) => {
            logged.push({ group, stream, events });
          },
        },
      },
    },
  } as unknown as RunningServer;
  const warnings: string[] = [];
  const ctx: ResourceContext = {
    server,
    stackName: "svc-dev",
    region: "eu-west-1",
    accountId: "000000000000",
    logicalId: "HookCustomCognitoUserPool1",
    serviceDir: "/nowhere",
    warn: (m) => warnings.push(m),
  };
  const handler = createCustomCognitoUserPoolHandler({
    awsPorts: (_ctx, region) => {
      aws.regions.push(region);
      return aws;
    },
  });
  return { aws, ctx, handler, logged, warnings };
}

const properties = (extra: Record<string, unknown> = {}) => ({
  ServiceToken: SERVICE_TOKEN,
  FunctionName: "svc-dev-hook",
  UserPoolName: "shared",
  UserPoolConfigs: [{ Trigger: "PreSignUp" }, { Trigger: "CustomMessage" }],
  ...extra,
});

describe("asCloudFormationDelivers", () => {
  it("turns every scalar into a string, keeping lists and objects", () => {
    expect(asCloudFormationDelivers({ a: 1, b: [true, { c: 2.5, d: "x" }], e: null })).toEqual({
      a: "1",
      b: ["true", { c: "2.5", d: "x" }],
      e: null,
    });
  });
});

describe("handlerFunctionName", () => {
  it("reads the name from the ServiceToken ARN, with or without a qualifier", () => {
    expect(handlerFunctionName(SERVICE_TOKEN, "s")).toBe("svc-dev-custom-resource-existing-cup");
    expect(handlerFunctionName(`${SERVICE_TOKEN}:$LATEST`, "s")).toBe("svc-dev-custom-resource-existing-cup");
    expect(handlerFunctionName("plain-name", "s")).toBe("plain-name");
  });
  it("falls back to Serverless's name for the stack when the token is unusable", () => {
    expect(handlerFunctionName(undefined, "svc-dev")).toBe("svc-dev-custom-resource-existing-cup");
    expect(handlerFunctionName("arn:aws:sns:eu-west-1:0:topic", "svc-dev")).toBe(
      "svc-dev-custom-resource-existing-cup",
    );
  });
});

describe("Custom::CognitoUserPool handler", () => {
  it("is registered in RESOURCE_HANDLERS", () => {
    expect(RESOURCE_HANDLERS["Custom::CognitoUserPool"]).toBe(
      customCognitoUserPoolHandlers["Custom::CognitoUserPool"],
    );
  });

  it("Create attaches the triggers and answers with Serverless's physical id and the pool", async () => {
    const { aws, ctx, handler } = harness();
    const result = await handler.create(properties({ ForceDeploy: 1768478400000 }), ctx);
    expect(result).toEqual({
      physicalId: "CustomResourceExistingCognitoUserPool",
      attributes: {
        UserPoolId: "eu-west-1_pool",
        UserPoolArn: "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_pool",
      },
    });
    expect(aws.regions).toEqual(["eu-west-1"]);
    expect(aws.pools.get("eu-west-1_pool")?.LambdaConfig).toEqual({
      PreSignUp: FN_ARN,
      CustomMessage: FN_ARN,
    });
    expect(aws.updates[0]?.MfaConfiguration).toBe("OFF");
    expect([...aws.permissions]).toEqual([
      [
        "svc-dev-hook/svc-dev-hook-shared",
        "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_pool",
      ],
    ]);
  });

  it("writes the handler's output to its own log group, as Lambda would", async () => {
    const { ctx, handler, logged } = harness();
    await handler.create(properties(), ctx);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.group).toBe("/aws/lambda/svc-dev-custom-resource-existing-cup");
    expect(logged[0]?.stream).toBe(`2026/01/15/[$LATEST]${"ab".repeat(16)}`);
    const messages = logged[0]?.events.map((e) => e.message) ?? [];
    expect(messages[0]).toBe("Create HookCustomCognitoUserPool1 in eu-west-1 (account 000000000000)");
    expect(messages.at(-1)).toBe("Responding SUCCESS");
  });

  it("FAILED becomes a ResourceError with CloudFormation's message and the handler's Reason", async () => {
    const { aws, ctx, handler } = harness();
    const error = await handler.create(properties({ UserPoolName: "missing" }), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toMatch(
      /^HookCustomCognitoUserPool1: Received response status \[FAILED\] from custom resource\. Message returned: User pool "missing" was not found in eu-west-1 \(account 000000000000\)\. See details in CloudWatch Log: 2026\/01\/15\/\[\$LATEST\]/,
    );
    expect(aws.updates).toEqual([]);
  });

  it("Update re-applies the triggers (ForceDeploy) and moves nothing when the names stay", async () => {
    const { aws, ctx, handler } = harness();
    await handler.create(properties({ ForceDeploy: 1 }), ctx);
    const pool = aws.pools.get("eu-west-1_pool");
    if (pool) pool.LambdaConfig = {};
    const result = await handler.update(
      "CustomResourceExistingCognitoUserPool",
      properties({ ForceDeploy: 2 }),
      properties({ ForceDeploy: 1 }),
      ctx,
    );
    expect(result.physicalId).toBe("CustomResourceExistingCognitoUserPool");
    expect(aws.pools.get("eu-west-1_pool")?.LambdaConfig).toEqual({
      PreSignUp: FN_ARN,
      CustomMessage: FN_ARN,
    });
    expect(aws.permissions.size).toBe(1);
  });

  it("Delete removes this function's triggers and its permission", async () => {
    const { aws, ctx, handler } = harness();
    await handler.create(properties(), ctx);
    await handler.delete("CustomResourceExistingCognitoUserPool", properties(), ctx);
    expect(aws.pools.get("eu-west-1_pool")?.LambdaConfig).toEqual({});
    expect(aws.permissions.size).toBe(0);
  });

  it("restore puts back a lost permission for a pool that still invokes the function, changing nothing else", async () => {
    const { aws, ctx, handler } = harness();
    await handler.create(properties(), ctx);
    aws.permissions.clear();
    const updates = aws.updates.length;
    await handler.restore?.("CustomResourceExistingCognitoUserPool", properties(), ctx);
    expect(aws.permissions.size).toBe(1);
    expect(aws.updates).toHaveLength(updates);
    // Present already: still fine.
    await handler.restore?.("CustomResourceExistingCognitoUserPool", properties(), ctx);
    expect(aws.permissions.size).toBe(1);
  });

  it("restore adds nothing when the pool no longer invokes the function", async () => {
    const { aws, ctx, handler } = harness();
    await handler.restore?.("CustomResourceExistingCognitoUserPool", properties(), ctx);
    expect(aws.permissions.size).toBe(0);
  });
});
