// Stack updates with real resources: add a trigger, remove a function, change a pool property; users survive.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, upStack } from "../../../src/local-deploy/up.js";

const HANDLER = "export const handler = async (event) => event;\n";

function service(options: {
  functions: string[];
  triggers: Record<string, string>;
  minimumLength: number;
}): string {
  const lines = ["service: updates", "provider:", "  name: aws", "  runtime: nodejs22.x", "functions:"];
  for (const fn of options.functions) {
    lines.push(`  ${fn}:`, `    handler: handler.handler`);
    const trigger = Object.entries(options.triggers).find(([, f]) => f === fn)?.[0];
    if (trigger)
      lines.push(
        "    events:",
        "      - cognitoUserPool:",
        "          pool: Members",
        `          trigger: ${trigger}`,
      );
  }
  lines.push(
    "resources:",
    "  Resources:",
    "    CognitoUserPoolMembers:",
    "      Properties:",
    "        Policies:",
    "          PasswordPolicy:",
    `            MinimumLength: ${options.minimumLength}`,
    "  Outputs:",
    "    PoolId:",
    "      Value: !Ref CognitoUserPoolMembers",
  );
  return `${lines.join("\n")}\n`;
}

let dir: string;
let stack: LocalStack;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ct-updates-"));
  await writeFile(join(dir, "handler.mjs"), HANDLER);
  await writeFile(
    join(dir, "serverless.yml"),
    service({
      functions: ["gate", "audit"],
      triggers: { PreSignUp: "gate", PostAuthentication: "audit" },
      minimumLength: 8,
    }),
  );
  stack = await upStack({ cwd: dir, port: 0, dataDir: join(dir, ".data"), env: {} });
  cognito = new CognitoIdentityProviderClient({
    endpoint: stack.server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  cognito?.destroy();
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("up again after the service changed", () => {
  it("adds a trigger, removes a function, changes a pool property, and keeps the pool's users", async () => {
    const poolId = stack.outputs.PoolId as string;
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "stays", MessageAction: "SUPPRESS" }),
    );
    const before = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(Object.keys(before.UserPool?.LambdaConfig ?? {}).sort()).toEqual([
      "PostAuthentication",
      "PreSignUp",
    ]);
    expect(stack.server.deps.lambda.functions.resolve("updates-dev-audit")).toBeDefined();

    await writeFile(
      join(dir, "serverless.yml"),
      service({
        functions: ["gate", "greet"],
        triggers: { PreSignUp: "gate", CustomMessage: "greet" },
        minimumLength: 12,
      }),
    );
    await stack.redeploy();

    expect(stack.outputs.PoolId).toBe(poolId);
    const after = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(Object.keys(after.UserPool?.LambdaConfig ?? {}).sort()).toEqual(["CustomMessage", "PreSignUp"]);
    expect(after.UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(12);
    expect(stack.server.deps.lambda.functions.resolve("updates-dev-audit")).toBeUndefined();
    expect(stack.server.deps.lambda.functions.resolve("updates-dev-greet")).toBeDefined();
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "stays" }));
    expect(user.Username).toBe("stays");
    expect(stack.summary.deleted).toEqual(expect.arrayContaining(["AuditLambdaFunction"]));
  });
});
