// Tests for loadService against the fixtures in test/fixtures/load: discovery, parsing, variables, positions.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Serverless variables, not JS templates.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CompileError, formatProblem, type Problem } from "./errors.js";
import { loadService } from "./load-service.js";
import type { LoadOptions } from "./service-model.js";

const FIXTURES = resolve(import.meta.dirname, "..", "..", "test", "fixtures", "load");

function load(dir: string, options: Partial<LoadOptions> = {}) {
  return loadService({ cwd: join(FIXTURES, dir), env: {}, ...options });
}

async function problems(dir: string, options: Partial<LoadOptions> = {}): Promise<Problem[]> {
  try {
    await load(dir, options);
  } catch (error) {
    if (error instanceof CompileError) return [...error.problems];
    throw error;
  }
  throw new Error(`${dir} loaded, but problems were expected`);
}

function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype && Object.values(value).every(isPlainJson);
  }
  return false;
}

describe("config discovery", () => {
  it("prefers serverless.yml, then serverless.yaml, then serverless.json", async () => {
    expect((await load("discovery/all")).config.service).toBe("from-yml");
    expect((await load("discovery/yaml-and-json")).config.service).toBe("from-yaml");
    const json = await load("discovery/json-only");
    expect(json.config.service).toBe("json-service");
    expect(json.configPath).toBe(join(FIXTURES, "discovery/json-only/serverless.json"));
    expect(json.serviceDir).toBe(join(FIXTURES, "discovery/json-only"));
  });

  it("uses options.configPath relative to cwd", async () => {
    const loaded = await load("custom-path", { configPath: "configs/my-service.yml" });
    expect(loaded.config.service).toBe("picked-by-path");
    expect(loaded.serviceDir).toBe(join(FIXTURES, "custom-path/configs"));
  });

  it("reports a missing configuration", async () => {
    const [problem] = await problems("discovery/none");
    expect(problem?.code).toBe("CONFIG_NOT_FOUND");
    expect(problem?.message).toContain("no serverless.yml, serverless.yaml or serverless.json in");
    const [missing] = await problems("custom-path", { configPath: "configs/absent.yml" });
    expect(missing?.code).toBe("CONFIG_NOT_FOUND");
    expect(missing?.message).toContain("configs/absent.yml not found");
  });

  it("refuses JavaScript and TypeScript configurations", async () => {
    for (const dir of ["discovery/js-only", "discovery/ts-only"]) {
      const [problem] = await problems(dir);
      expect(problem?.code).toBe("CONFIG_FORMAT_NOT_SUPPORTED");
      expect(problem?.message).toContain(
        "only serverless.yml, serverless.yaml and serverless.json are supported",
      );
    }
    const [explicit] = await problems("custom-path", { configPath: "configs/service.js" });
    expect(explicit?.code).toBe("CONFIG_FORMAT_NOT_SUPPORTED");
  });
});

describe("a configuration full of variables", () => {
  const env = { POOL_NAME: "EnvPool" };

  it("resolves every form", async () => {
    const { config } = await load("variables", { env });
    const custom = config.custom as Record<string, unknown>;
    expect(config.service).toBe("vars-demo");
    expect(config.provider).toEqual({
      name: "aws",
      runtime: "nodejs20.x",
      stage: "dev",
      region: "eu-west-1",
      environment: { STAGE: "dev", REGION: "eu-west-1", FROM_ENV: "EnvPool" },
    });
    expect(custom).toMatchObject({
      pool: "DevUsers",
      poolFromProvider: "DevUsers",
      number: 123,
      boolean: true,
      nullable: null,
      chained: "last-resort",
      nestedFallback: "dev",
      plainFallback: "dev",
      copiedTags: { team: "identity" },
      copiedRetries: 3,
      secondItem: "second",
      sentence: "vars-demo runs 3 retries (enabled=true)",
      cfnSub: { "Fn::Sub": "arn:aws:s3:::${AWS::AccountId}-demo" },
      settingsName: "settings-demo",
      deepSetting: "deep",
      jsonValue: "json-dev-pool",
      optionalFile: "no-file",
      optionalKey: "no-key",
    });
    expect(custom.settings).toEqual({
      name: "settings-demo",
      stageCopy: "dev",
      nested: { level: "deep", ref: { Ref: "SomeResource" } },
    });
    expect(config.functions).toEqual({
      hook: {
        handler: "handler.main",
        events: [{ cognitoUserPool: { pool: "DevUsers", trigger: "PreSignUp" } }],
      },
    });
    expect(isPlainJson(config)).toBe(true);
  });

  it("follows the stage flag everywhere", async () => {
    const loaded = await load("variables", { env, stage: "prod", region: "ca-central-1" });
    const custom = loaded.config.custom as Record<string, unknown>;
    expect(loaded.stage).toBe("prod");
    expect(loaded.region).toBe("ca-central-1");
    expect(custom.pool).toBe("ProdUsers");
    expect(custom.jsonValue).toBe("json-prod-pool");
    expect((custom.settings as Record<string, unknown>).stageCopy).toBe("prod");
    expect((loaded.config.provider as Record<string, unknown>).environment).toEqual({
      STAGE: "prod",
      REGION: "ca-central-1",
      FROM_ENV: "EnvPool",
    });
  });

  it("uses the env fallback when the variable is unset", async () => {
    const { config } = await load("variables");
    expect((config.provider as { environment: Record<string, unknown> }).environment.FROM_ENV).toBe(
      "unset-pool",
    );
  });

  it("locates nested paths and array items", async () => {
    const { locate } = await load("variables", { env });
    const file = "serverless.yml";
    expect(locate(["functions", "hook", "events", 0, "cognitoUserPool", "pool"])).toEqual({
      file,
      line: 47,
      column: 17,
    });
    expect(locate(["custom", "list", 1])).toEqual({ file, line: 22, column: 7 });
    // Values that came from another file sit at the variable that brought them in.
    expect(locate(["custom", "settings", "nested", "level"])).toEqual({ file, line: 36, column: 13 });
  });

  it("resolves variables in a JSON configuration and locates its nodes", async () => {
    const loaded = await load("discovery/json-only", { stage: "prod" });
    expect(loaded.config.provider).toEqual({ name: "aws", stage: "prod" });
    expect(loaded.locate(["functions", "hook", "events", 0, "cognitoUserPool", "pool"])).toEqual({
      file: "serverless.json",
      line: 11,
      column: 40,
    });
    expect((await load("discovery/json-only")).stage).toBe("jsonstage");
  });
});

describe("stage and region", () => {
  it("takes the flag over provider settings", async () => {
    const loaded = await load("stage/from-variable", { stage: "prod", region: "eu-north-1" });
    expect([loaded.stage, loaded.region]).toEqual(["prod", "eu-north-1"]);
    expect((loaded.config.custom as Record<string, unknown>).stageName).toBe("prod");
  });

  it("takes provider settings resolved through variables", async () => {
    const loaded = await load("stage/from-variable");
    expect([loaded.stage, loaded.region]).toEqual(["qa", "ap-southeast-2"]);
    expect((loaded.config.custom as Record<string, unknown>).stageName).toBe("qa");
  });

  it("defaults to dev and us-east-1", async () => {
    const loaded = await load("stage/defaults", { stage: "", region: "" });
    expect([loaded.stage, loaded.region]).toEqual(["dev", "us-east-1"]);
  });
});

describe("problems", () => {
  it("collects every problem with path, line and column, in file order", async () => {
    const found = await problems("errors");
    const summary = found.map((p) => [p.code, p.path.join("."), p.location?.line, p.location?.column]);
    expect(summary).toEqual([
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.POOL", 5, 11],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.OPTION", 6, 13],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.SECRET", 7, 13],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.ACCOUNT", 8, 14],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.INSTANCE", 9, 15],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.MISSING_FILE", 10, 19],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.MISSING_KEY", 11, 18],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.OBJECT_IN_STRING", 12, 23],
      ["VARIABLE_RESOLUTION_ERROR", "provider.environment.UNKNOWN", 13, 14],
      ["UNKNOWN_CFN_TAG", "custom.weird", 17, 17],
      ["VARIABLE_RESOLUTION_ERROR", "functions.hook.events.0.cognitoUserPool.pool", 23, 17],
    ]);
    expect(formatProblem(found[0] as Problem)).toBe(
      'serverless.yml:5:11 provider.environment.POOL: cannot resolve "${env:POOL_NAME}": environment variable POOL_NAME is not set [VARIABLE_RESOLUTION_ERROR]',
    );
    expect(found[2]?.message).toBe(
      'cannot resolve "${ssm:/my/secret, \'fallback\'}": Variable source "ssm" needs AWS and cannot be resolved offline',
    );
    expect(found[5]?.message).toContain("file nope.yml does not exist");
    expect(found[10]?.message).toContain('no value at "custom.missing.pool"');
  });

  it("throws one CompileError whose message lists every problem", async () => {
    const error = await load("errors").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).message).toContain("11 problems in the configuration");
    expect((error as CompileError).code).toBe("VARIABLE_RESOLUTION_ERROR");
  });

  it("reports a cycle instead of overflowing the stack", async () => {
    const found = await problems("cycle");
    expect(found.map((p) => [p.path.join("."), p.location?.line])).toEqual([
      ["custom.b", 4],
      ["custom.self", 5],
    ]);
    expect(found[0]?.message).toContain("circular reference: custom.a -> custom.b -> custom.a");
  });

  it("reports YAML syntax errors with line and column", async () => {
    const found = await problems("yaml-error");
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.every((p) => p.code === "YAML_PARSE_ERROR")).toBe(true);
    expect(found[0]?.location).toEqual({ file: "serverless.yml", line: 4, column: 3 });
    expect(found[0]?.message).toMatch(/^YAML syntax error at line 4, column 3: Map keys must be unique/);
  });

  it("rejects an alias bomb quickly", async () => {
    const started = performance.now();
    const found = await problems("alias-bomb");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toHaveLength(1);
    expect(found[0]?.code).toBe("YAML_PARSE_ERROR");
    expect(found[0]?.message).toContain("Excessive alias count");
  });

  it("requires a mapping at the top", async () => {
    const [problem] = await problems("not-object");
    expect(problem?.code).toBe("INVALID_CONFIGURATION");
    expect(problem?.message).toContain("not a list");
  });

  it("keeps file() inside the service directory", async () => {
    const [problem] = await problems("outside/service");
    expect(problem?.path).toEqual(["custom", "secret"]);
    expect(problem?.message).toContain("files must be inside the service directory");
  });

  it("reports problems inside included files at the variable that includes them", async () => {
    const found = await problems("included-errors");
    expect(found.map((p) => [p.path.join("."), p.location?.line])).toEqual([
      ["custom.broken", 3],
      ["custom.needsEnv", 4],
    ]);
    expect(found[0]?.message).toMatch(/cannot parse broken\.yml: 2:1 YAML syntax error/);
    expect(found[1]?.message).toContain(
      'cannot resolve "${env:INCLUDED_VAR}": environment variable INCLUDED_VAR is not set (in needs-env.yml at value)',
    );
  });

  it("resolves included variables once the environment provides them", async () => {
    const found = await problems("included-errors", { env: { INCLUDED_VAR: "ok" } });
    expect(found.map((p) => p.path.join("."))).toEqual(["custom.broken"]);
  });
});

describe("CloudFormation tags", () => {
  it("expands every short form in a real file", async () => {
    const { config } = await load("cfn-tags");
    const resources = config.resources as Record<string, Record<string, unknown>>;
    expect(resources.Conditions).toEqual({
      IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] },
      NotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
      Both: { "Fn::And": [{ Condition: "IsProd" }, { Condition: "NotProd" }] },
      Either: { "Fn::Or": [{ Condition: "IsProd" }, { Condition: "NotProd" }] },
    });
    const pool = (resources.Resources as Record<string, { Properties: unknown }>).Pool;
    expect(pool?.Properties).toEqual({
      UserPoolName: { "Fn::Sub": "${AWS::StackName}-pool" },
      Mixed: { "Fn::Sub": ["${Name}-x", { Name: { Ref: "PoolName" } }] },
      Arn: { "Fn::GetAtt": ["Lambda", "Arn"] },
      DeepArn: { "Fn::GetAtt": ["Stack", "Outputs.Value"] },
      ListArn: { "Fn::GetAtt": ["Lambda", "Arn"] },
      Joined: { "Fn::Join": ["-", ["a", { Ref: "B" }]] },
      Picked: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      Split: { "Fn::Split": [",", "a,b"] },
      Chosen: { "Fn::If": ["IsProd", { Ref: "Prod" }, { Ref: "AWS::NoValue" }] },
      Mapped: { "Fn::FindInMap": ["Map", { Ref: "AWS::Region" }, "Key"] },
      Imported: { "Fn::ImportValue": "shared-export" },
      Encoded: { "Fn::Base64": "hello" },
      Blocks: { "Fn::Cidr": ["10.0.0.0/16", 4, 8] },
      Transformed: {
        "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://bucket/file.yml" } },
      },
      Json: { "Fn::ToJsonString": { a: 1 } },
      Count: { "Fn::Length": [1, 2, 3] },
    });
  });
});
