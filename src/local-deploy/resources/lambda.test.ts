// AWS::Lambda::Function, Version, Alias and Permission against a real edge: registry, worker runs, policies.
import { join, resolve } from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceContext } from "../../../test/helpers/resource-context.js";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import type { MutableFunctionRegistry } from "../../lambda/registry.js";
import type { ResourceContext } from "../types.js";
import { ResourceError } from "../types.js";
import { functionHandler, lambdaAliasHandler, permissionHandler, versionHandler } from "./lambda.js";

const RUNTIME_FIXTURES = resolve(import.meta.dirname, "../../../test/fixtures/handlers/runtime");

let server: RunningServer;
let lambda: LambdaClient;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", memory: true });
  lambda = new LambdaClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  lambda.destroy();
  await server.close();
});

function context(logicalId: string, warnings: string[] = []): ResourceContext {
  return resourceContext(server, logicalId, { warnings, serviceDir: RUNTIME_FIXTURES });
}

const envFunction = (extra: Record<string, unknown> = {}) => ({
  Handler: "env.handler",
  Runtime: "nodejs20.x",
  Code: { S3Bucket: "bucket", S3Key: "serverless/svc/dev/code.zip" },
  Environment: { Variables: { TABLE: "known-users", SHARED: 7 } },
  ...extra,
});

async function invoke(name: string): Promise<Record<string, unknown>> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(Buffer.from(out.Payload ?? []).toString("utf8")) as Record<string, unknown>;
}

describe("AWS::Lambda::Function", () => {
  it("creates a local function from the service directory: Ref is its name, Arn its ARN, env resolved", async () => {
    const warnings: string[] = [];
    const result = await functionHandler.create(
      envFunction({ FunctionName: "svc-dev-env", Timeout: 9, MemorySize: 256 }),
      context("EnvLambdaFunction", warnings),
    );
    expect(result).toEqual({
      physicalId: "svc-dev-env",
      attributes: { Arn: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env" },
    });
    const fn = server.deps.lambda.functions.resolve("svc-dev-env");
    expect(fn).toMatchObject({
      modulePath: join(RUNTIME_FIXTURES, "env.mjs"),
      exportName: "handler",
      cwd: RUNTIME_FIXTURES,
      runtime: "nodejs20.x",
      timeout: 9,
      memorySize: 256,
      environment: { TABLE: "known-users", SHARED: "7" },
    });
    expect(await invoke("svc-dev-env")).toMatchObject({
      TABLE: "known-users",
      SHARED: "7",
      AWS_LAMBDA_FUNCTION_NAME: "svc-dev-env",
      AWS_ENDPOINT_URL: server.url,
    });
    expect(warnings.filter((w) => w.includes("Code"))).toHaveLength(1);
    // Deployed functions are checked against their policy when Cognito invokes them.
    expect(server.deps.lambda.permissions.allows("svc-dev-env", "cognito-idp.amazonaws.com", "arn:x")).toBe(
      false,
    );
  });

  it("names a function without FunctionName as CloudFormation does, with CloudFormation's defaults", async () => {
    const warnings: string[] = [];
    const { physicalId } = await functionHandler.create(envFunction(), context("EnvTwo", warnings));
    expect(physicalId).toMatch(/^svc-dev-EnvTwo-[A-Z0-9]{13}$/);
    expect(server.deps.lambda.functions.resolve(physicalId)).toMatchObject({ timeout: 3, memorySize: 128 });
    // The "Code is ignored" warning was given once for this edge already.
    expect(warnings).toEqual([]);
  });

  it("update re-puts the function (new environment), delete removes it and its policy, restore re-puts", async () => {
    const ctx = context("EnvThree");
    await functionHandler.create(envFunction({ FunctionName: "svc-dev-three" }), ctx);
    expect(await invoke("svc-dev-three")).toMatchObject({ TABLE: "known-users" });
    const updated = await functionHandler.update(
      "svc-dev-three",
      envFunction({ FunctionName: "svc-dev-three", Environment: { Variables: { TABLE: "other" } } }),
      envFunction({ FunctionName: "svc-dev-three" }),
      ctx,
    );
    expect(updated.physicalId).toBe("svc-dev-three");
    expect(await invoke("svc-dev-three")).toMatchObject({ TABLE: "other" });

    server.deps.lambda.permissions.add("svc-dev-three", {
      sid: "s1",
      action: "lambda:InvokeFunction",
      principal: "cognito-idp.amazonaws.com",
    });
    await functionHandler.delete("svc-dev-three", envFunction({ FunctionName: "svc-dev-three" }), ctx);
    expect(server.deps.lambda.functions.resolve("svc-dev-three")).toBeUndefined();
    expect(server.deps.lambda.permissions.list("svc-dev-three")).toEqual([]);

    await functionHandler.restore?.("svc-dev-three", envFunction({ FunctionName: "svc-dev-three" }), ctx);
    expect(await invoke("svc-dev-three")).toMatchObject({ TABLE: "known-users" });
  });

  it("a new FunctionName replaces the function", async () => {
    const ctx = context("Renamed");
    await functionHandler.create(envFunction({ FunctionName: "svc-dev-old" }), ctx);
    const out = await functionHandler.update(
      "svc-dev-old",
      envFunction({ FunctionName: "svc-dev-new" }),
      envFunction({ FunctionName: "svc-dev-old" }),
      ctx,
    );
    expect(out.physicalId).toBe("svc-dev-new");
    expect(server.deps.lambda.functions.resolve("svc-dev-new")).toBeDefined();
  });

  it("runs TypeScript handlers (bundled by the runtime)", async () => {
    await functionHandler.create(
      { Handler: "ts/greet.handler", Runtime: "nodejs22.x", FunctionName: "svc-dev-ts" },
      context("Ts"),
    );
    expect(server.deps.lambda.functions.resolve("svc-dev-ts")?.modulePath).toBe(
      join(RUNTIME_FIXTURES, "ts", "greet.ts"),
    );
  });

  it("records non-Node runtimes with a warning; a missing handler module or duplicate name is an error", async () => {
    const warnings: string[] = [];
    const out = await functionHandler.create(
      { Handler: "app.handler", Runtime: "python3.12", FunctionName: "svc-dev-py" },
      context("Py", warnings),
    );
    expect(out.physicalId).toBe("svc-dev-py");
    expect(server.deps.lambda.functions.resolve("svc-dev-py")).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/python3\.12 cannot run locally/);

    await expect(
      functionHandler.create({ Handler: "nowhere.handler", Runtime: "nodejs20.x" }, context("Missing")),
    ).rejects.toThrow(/Missing: handler module nowhere not found/);
    await expect(
      functionHandler.create({ Handler: "env", Runtime: "nodejs20.x" }, context("NoExport")),
    ).rejects.toBeInstanceOf(ResourceError);
    await expect(
      functionHandler.create(envFunction({ FunctionName: "svc-dev-env" }), context("Dup")),
    ).rejects.toThrow(/already exist/);
  });

  it("runs the project's own custom-resource handler for the compiled template's custom-resource function", async () => {
    await functionHandler.create(
      { Handler: "cognito-user-pool/handler.handler", Runtime: "nodejs20.x", FunctionName: "svc-dev-cr" },
      context("CustomDashresourceDashexistingDashcupLambdaFunction"),
    );
    expect(server.deps.lambda.functions.resolve("svc-dev-cr")?.modulePath).toMatch(
      /custom-resource[/\\]handler\.(ts|js)$/,
    );
    (server.deps.lambda.functions as MutableFunctionRegistry).remove("svc-dev-cr");
  });
});

describe("AWS::Lambda::Version and Alias", () => {
  it("are recorded, and the alias ARN resolves to the function", async () => {
    const ctx = context("EnvVersion");
    const version = await versionHandler.create({ FunctionName: "svc-dev-env" }, ctx);
    expect(version).toEqual({
      physicalId: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env:1",
      attributes: { Version: "1", FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env" },
    });
    const alias = await lambdaAliasHandler.create(
      {
        FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env",
        FunctionVersion: "1",
        Name: "live",
      },
      context("EnvAlias"),
    );
    expect(alias.physicalId).toBe("arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env:live");
    expect(alias.attributes.AliasArn).toBe(alias.physicalId);
    expect(server.deps.lambda.functions.resolve(alias.physicalId)?.name).toBe("svc-dev-env");
    expect(await invoke(alias.physicalId)).toMatchObject({ TABLE: "known-users" });
  });
});

describe("AWS::Lambda::Permission", () => {
  const poolArn = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc";
  const properties = {
    Action: "lambda:InvokeFunction",
    FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:svc-dev-env:live",
    Principal: "cognito-idp.amazonaws.com",
    SourceArn: poolArn,
  };

  it("adds a statement (Ref = statement id) that lets the pool invoke; delete removes it; restore re-adds it", async () => {
    const ctx = context("EnvPermission");
    const { physicalId } = await permissionHandler.create(properties, ctx);
    expect(physicalId).toMatch(/^svc-dev-EnvPermission-[A-Z0-9]{13}$/);
    const table = server.deps.lambda.permissions;
    expect(table.list("svc-dev-env")).toEqual([
      {
        sid: physicalId,
        action: "lambda:InvokeFunction",
        principal: "cognito-idp.amazonaws.com",
        sourceArn: poolArn,
        sourceAccount: undefined,
      },
    ]);
    expect(table.allows("svc-dev-env", "cognito-idp.amazonaws.com", poolArn)).toBe(true);
    expect(table.allows("svc-dev-env", "cognito-idp.amazonaws.com", `${poolArn}x`)).toBe(false);

    await permissionHandler.delete(physicalId, properties, ctx);
    expect(table.list("svc-dev-env")).toEqual([]);
    // Deleting again (the function went first) is not an error.
    await permissionHandler.delete(physicalId, properties, ctx);

    await permissionHandler.restore?.(physicalId, properties, ctx);
    expect(table.allows("svc-dev-env", "cognito-idp.amazonaws.com", poolArn)).toBe(true);
    await permissionHandler.delete(physicalId, properties, ctx);
  });

  it("an update replaces the statement; required properties are checked", async () => {
    const ctx = context("EnvPermission2");
    const first = await permissionHandler.create(properties, ctx);
    const second = await permissionHandler.update(
      first.physicalId,
      { ...properties, SourceArn: "*" },
      properties,
      ctx,
    );
    expect(second.physicalId).not.toBe(first.physicalId);
    await permissionHandler.delete(first.physicalId, properties, ctx);
    expect(server.deps.lambda.permissions.list("svc-dev-env").map((s) => s.sid)).toEqual([second.physicalId]);
    await permissionHandler.delete(second.physicalId, properties, ctx);
    await expect(
      permissionHandler.create({ FunctionName: "svc-dev-env", Action: "lambda:InvokeFunction" }, ctx),
    ).rejects.toThrow(/Principal cannot be empty/);
  });
});
