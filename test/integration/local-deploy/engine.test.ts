// upStack end to end: the example service on the real handlers, and state persisted across two runs on one data dir.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, describe, expect, it } from "vitest";
import type { ResourceHandlers } from "../../../src/local-deploy/types.js";
import { type LocalStack, upStack } from "../../../src/local-deploy/up.js";

const EXAMPLE = resolve("examples/user-pools-and-triggers");
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

const open: LocalStack[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stack of open.splice(0)) await stack.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("upStack", () => {
  it("deploys the example in memory: the pool's LambdaConfig names the three functions", async () => {
    const stack = await upStack({ cwd: EXAMPLE, memory: true, port: 0, env });
    open.push(stack);
    expect(stack.stackName).toBe("user-pools-and-triggers-dev");
    const userPoolId = stack.outputs.UserPoolId as string;
    expect(userPoolId).toMatch(/^us-east-1_/);
    expect(stack.outputs.UserPoolClientId).toEqual(expect.any(String));
    expect(stack.outputs.TableName).toBe("user-pools-and-triggers-dev-known-users");
    const cognito = new CognitoIdentityProviderClient({
      endpoint: stack.server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    expect(UserPool?.LambdaConfig).toMatchObject({
      PreSignUp: expect.stringMatching(/:function:user-pools-and-triggers-dev-autoConfirm$/),
      UserMigration: expect.stringMatching(/:function:user-pools-and-triggers-dev-migrateUser$/),
      PostAuthentication: expect.stringMatching(/:function:user-pools-and-triggers-dev-activityLog$/),
    });
    cognito.destroy();

    // A second deploy of the same template changes nothing.
    await stack.redeploy();
    expect(stack.summary.created).toEqual([]);
    expect(stack.summary.updated).toEqual([]);
    expect(stack.outputs.UserPoolId).toBe(userPoolId);
  });

  it("keeps the stack state in the data dir: a second upStack updates instead of creating; down deletes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "engine-"));
    dirs.push(dir);
    const calls: string[] = [];
    let next = 0;
    const handlers: ResourceHandlers = {
      "Test::Fake::Thing": {
        create: async (properties, ctx) => {
          calls.push(`create ${ctx.logicalId}`);
          return { physicalId: `thing-${++next}`, attributes: { Name: properties.Name } };
        },
        update: async (physicalId, _properties, _previous, ctx) => {
          calls.push(`update ${ctx.logicalId}`);
          return { physicalId, attributes: {} };
        },
        delete: async (_id, _properties, ctx) => {
          calls.push(`delete ${ctx.logicalId}`);
        },
        restore: async (_id, _properties, ctx) => {
          calls.push(`restore ${ctx.logicalId}`);
        },
      },
    };
    const config = (name: string) =>
      [
        "service: engine",
        "provider:",
        "  name: aws",
        "resources:",
        "  Resources:",
        "    A:",
        "      Type: Test::Fake::Thing",
        "      Properties:",
        `        Name: ${name}`,
        "    B:",
        "      Type: Test::Fake::Thing",
        "      Properties:",
        "        Of: !Ref A",
        "  Outputs:",
        "    AName:",
        "      Value: !Ref A",
        "      Export:",
        "        Name: !Sub ${AWS::StackName}-A",
      ].join("\n");
    await writeFile(join(dir, "serverless.yml"), config("one"));
    const options = { cwd: dir, dataDir: join(dir, "data"), port: 0, env, handlers };
    const first = await upStack(options);
    await first.close();
    expect(calls).toEqual(["create A", "create B"]);
    const saved = JSON.parse(await readFile(join(dir, "data", "stacks", "engine-dev.json"), "utf8"));
    expect(saved.outputs).toEqual({ AName: { value: "thing-1", exportName: "engine-dev-A" } });

    calls.length = 0;
    await writeFile(join(dir, "serverless.yml"), config("two"));
    const second = await upStack(options);
    open.push(second);
    expect(calls).toEqual(["update A", "restore B"]);
    expect(second.outputs).toEqual({ AName: "thing-1" });

    calls.length = 0;
    await second.down();
    expect(calls).toEqual(["delete B", "delete A"]);
    await expect(readFile(join(dir, "data", "stacks", "engine-dev.json"))).rejects.toThrow(/ENOENT/);
  });
});
