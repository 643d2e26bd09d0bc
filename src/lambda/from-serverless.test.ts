// functionsFromService over real serverless.yml files in temporary service directories.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CompileError } from "../compiler/errors.js";
import { loadService } from "../compiler/load-service.js";
import { functionsFromService, splitHandler } from "./from-serverless.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function service(yaml: string, files: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "from-serverless-"));
  dirs.push(dir);
  await writeFile(join(dir, "serverless.yml"), yaml);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), "export const handler = async () => null;\n");
  }
  return dir;
}

const load = (cwd: string, stage?: string) => loadService({ cwd, env: {}, stage });
const options = { region: "eu-west-1", accountId: "123456789012" };

describe("functionsFromService", () => {
  it("names, ARNs, handler files, limits and environment of every function", async () => {
    const dir = await service(
      `service: shop
provider:
  name: aws
  runtime: nodejs20.x
  timeout: 10
  memorySize: 512
  environment:
    SHARED: provider
    STAGE: \${sls:stage}
    COUNT: 3
functions:
  preSignUp:
    handler: src/handlers/pre-sign-up.handler
    environment:
      SHARED: function
      FLAG: true
  named:
    name: custom-name
    handler: lib/named.main
    timeout: 3
    memorySize: 128
    runtime: nodejs22.x
  typed:
    handler: src/typed.nested.handler
`,
      ["src/handlers/pre-sign-up.mjs", "lib/named.cjs", "lib/named.ts", "src/typed.ts"],
    );
    const functions = functionsFromService(await load(dir, "prod"), options);
    expect(functions).toEqual([
      {
        name: "shop-prod-preSignUp",
        arn: "arn:aws:lambda:eu-west-1:123456789012:function:shop-prod-preSignUp",
        modulePath: join(dir, "src/handlers/pre-sign-up.mjs"),
        exportName: "handler",
        cwd: dir,
        runtime: "nodejs20.x",
        timeout: 10,
        memorySize: 512,
        environment: { SHARED: "function", STAGE: "prod", COUNT: "3", FLAG: "true" },
      },
      {
        name: "custom-name",
        arn: "arn:aws:lambda:eu-west-1:123456789012:function:custom-name",
        // .cjs comes before .ts in the runtime's order.
        modulePath: join(dir, "lib/named.cjs"),
        exportName: "main",
        cwd: dir,
        runtime: "nodejs22.x",
        timeout: 3,
        memorySize: 128,
        environment: { SHARED: "provider", STAGE: "prod", COUNT: "3" },
      },
      expect.objectContaining({
        name: "shop-prod-typed",
        modulePath: join(dir, "src/typed.ts"),
        exportName: "nested.handler",
      }),
    ]);
  });

  it("defaults: stage dev, timeout 6, memory 1024, runtime nodejs24.x, no environment", async () => {
    const dir = await service(
      "service: app\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: index.handler\n",
      ["index.js"],
    );
    expect(functionsFromService(await load(dir), options)).toEqual([
      expect.objectContaining({
        name: "app-dev-a",
        modulePath: join(dir, "index.js"),
        runtime: "nodejs24.x",
        timeout: 6,
        memorySize: 1024,
        environment: {},
      }),
    ]);
  });

  it("fails with every missing handler file named, at its place in the file", async () => {
    const dir = await service(
      "service: app\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: src/a.handler\n  b:\n    handler: src/b.handler\n",
      [],
    );
    const loaded = await load(dir);
    let thrown: unknown;
    try {
      functionsFromService(loaded, options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CompileError);
    const problems = (thrown as CompileError).problems;
    expect(problems.map((p) => [p.code, p.message, p.location?.line])).toEqual([
      [
        "HANDLER_NOT_FOUND",
        `function "a": handler module src/a not found (looked for src/a.js, src/a.mjs, src/a.cjs, src/a.ts, src/a.mts in ${dir})`,
        6,
      ],
      [
        "HANDLER_NOT_FOUND",
        `function "b": handler module src/b not found (looked for src/b.js, src/b.mjs, src/b.cjs, src/b.ts, src/b.mts in ${dir})`,
        8,
      ],
    ]);
  });

  it("leaves CloudFormation values out of the environment with a warning", async () => {
    const dir = await service(
      `service: app
provider:
  name: aws
  environment:
    TABLE: !Ref UsersTable
functions:
  a:
    handler: index.handler
    environment:
      QUEUE: { "Fn::GetAtt": [Queue, Arn] }
      PLAIN: ok
`,
      ["index.mjs"],
    );
    const warnings: string[] = [];
    const [fn] = functionsFromService(await load(dir), { ...options, warn: (w) => warnings.push(w) });
    expect(fn?.environment).toEqual({ PLAIN: "ok" });
    expect(warnings).toEqual([
      'function "a": provider.environment.TABLE is a CloudFormation value (Ref) that only a deployment resolves; it was left out of the local environment',
      'function "a": functions.a.environment.QUEUE is a CloudFormation value (Fn::GetAtt) that only a deployment resolves; it was left out of the local environment',
    ]);
  });

  it("leaves out functions of other runtimes with a warning", async () => {
    const dir = await service(
      "service: app\nprovider:\n  name: aws\nfunctions:\n  py:\n    handler: handler.main\n    runtime: python3.12\n  js:\n    handler: index.handler\n",
      ["index.mjs"],
    );
    const warnings: string[] = [];
    const functions = functionsFromService(await load(dir), { ...options, warn: (w) => warnings.push(w) });
    expect(functions.map((f) => f.name)).toEqual(["app-dev-js"]);
    expect(warnings).toEqual([
      'function "py": runtime python3.12 cannot run locally (only Node.js runtimes can); it was left out',
    ]);
  });

  it("reports the compiler's problems (a function without a handler)", async () => {
    const dir = await service("service: app\nprovider:\n  name: aws\nfunctions:\n  a:\n    name: x\n", []);
    await expect(load(dir).then((loaded) => functionsFromService(loaded, options))).rejects.toThrow(
      'Either "handler" or "image" property needs to be set on function "a"',
    );
  });
});

describe("splitHandler", () => {
  it("splits at the first dot of the last path segment, as Lambda's Node runtime does", () => {
    expect(splitHandler("src/handlers/x.handler")).toEqual({
      module: "src/handlers/x",
      exportName: "handler",
    });
    expect(splitHandler("index.handlers.main")).toEqual({ module: "index", exportName: "handlers.main" });
    expect(splitHandler("a.b/c.d")).toEqual({ module: "a.b/c", exportName: "d" });
    expect(splitHandler("nodot")).toEqual({ module: "nodot", exportName: "" });
  });
});
