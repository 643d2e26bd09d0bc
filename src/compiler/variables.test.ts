// Unit tests for the Serverless v3 variable parser and offline resolver (plain JSON in, no YAML).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Serverless variables, not JS templates.
import { describe, expect, it } from "vitest";
import type { Json, JsonObject } from "./service-model.js";
import {
  type FileLoadResult,
  hasVariables,
  MAX_REFERENCE_CHAIN,
  parseTemplate,
  type ResolveContext,
  resolveVariables,
  type VariableRef,
  VariableSyntaxError,
} from "./variables.js";

const SERVICE_DIR = "/service";

function context(overrides: Partial<ResolveContext> = {}, files: Record<string, Json> = {}): ResolveContext {
  return {
    serviceDir: SERVICE_DIR,
    env: {},
    loadFile: (path): FileLoadResult => {
      const rel = path.slice(SERVICE_DIR.length + 1);
      return Object.hasOwn(files, rel) ? { status: "ok", value: files[rel] as Json } : { status: "missing" };
    },
    ...overrides,
  };
}

function resolveOk(config: JsonObject, ctx: ResolveContext = context()): JsonObject {
  const result = resolveVariables(config, ctx);
  expect(result.problems).toEqual([]);
  return result.config;
}

function problemsOf(config: JsonObject, ctx: ResolveContext = context()) {
  return resolveVariables(config, ctx).problems;
}

function onlyVariable(text: string): VariableRef {
  const { parts } = parseTemplate(text);
  expect(parts).toHaveLength(1);
  const [part] = parts;
  if (part === undefined || typeof part === "string") throw new Error(`no variable in ${text}`);
  return part;
}

describe("parseTemplate", () => {
  it("leaves text without variables as one literal part", () => {
    expect(parseTemplate("plain text").parts).toEqual(["plain text"]);
  });

  it("parses a whole-string variable with its source type and address", () => {
    const variable = onlyVariable("${self:custom.pool}");
    expect(variable.start).toBe(0);
    expect(variable.end).toBe(19);
    expect(variable.sources).toEqual([
      {
        kind: "source",
        type: "self",
        params: undefined,
        address: { text: "custom.pool", parts: ["custom.pool"] },
      },
    ]);
  });

  it("splits text and several variables in order", () => {
    const { parts } = parseTemplate("a-${opt:stage}-b-${env:X}");
    expect(parts.map((p) => (typeof p === "string" ? p : p.text))).toEqual([
      "a-",
      "${opt:stage}",
      "-b-",
      "${env:X}",
    ]);
  });

  it.each([
    ["CloudFormation pseudo parameter", "${AWS::Region}"],
    ["CloudFormation parameter", "${PoolName}"],
    ["lowercase Sub parameter", "${pool.Arn}"],
    ["space before the type", "${ opt:stage}"],
    ["double colon", "${aws::region}"],
    ["escaped", "\\${self:custom.x}"],
  ])("does not treat a %s as a variable", (_label, text) => {
    expect(hasVariables(text)).toBe(false);
    expect(parseTemplate(text).parts).toEqual([text]);
  });

  it.each([
    ["single-quoted string", "${opt:stage, 'dev'}", "dev"],
    ["double-quoted string", '${opt:stage, "dev"}', "dev"],
    ["double-quoted string with escapes", '${opt:stage, "a\\"b"}', 'a"b'],
    ["integer", "${env:X, 123}", 123],
    ["decimal", "${env:X, 1.5}", 1.5],
    ["negative number", "${env:X, -2}", -2],
    ["true", "${env:X, true}", true],
    ["false", "${env:X, false}", false],
    ["null", "${env:X, null}", null],
    ["empty string", "${env:X, ''}", ""],
  ])("parses a %s fallback", (_label, text, value) => {
    const variable = onlyVariable(text);
    expect(variable.sources[1]).toEqual({ kind: "literal", value });
  });

  it("parses typed fallbacks and nested variable fallbacks", () => {
    const typed = onlyVariable("${opt:stage, self:provider.stage}");
    expect(typed.sources[1]).toMatchObject({
      kind: "source",
      type: "self",
      address: { text: "provider.stage" },
    });
    const nested = onlyVariable("${opt:stage, ${self:provider.stage}}");
    expect(nested.sources[1]).toMatchObject({
      kind: "variable",
      variable: { text: "${self:provider.stage}" },
    });
  });

  it("parses variables nested in an address", () => {
    const variable = onlyVariable("${self:custom.${opt:stage, 'dev'}}");
    const source = variable.sources[0];
    if (source?.kind !== "source") throw new Error("expected a source");
    expect(source.address?.parts[0]).toBe("custom.");
    expect(source.address?.parts[1]).toMatchObject({ text: "${opt:stage, 'dev'}" });
  });

  it("parses file() parameters and address", () => {
    const variable = onlyVariable("${file(./config/${opt:stage}.yml):a.b}");
    const source = variable.sources[0];
    if (source?.kind !== "source") throw new Error("expected a source");
    expect(source.type).toBe("file");
    expect(source.params?.[0]?.text).toBe("./config/${opt:stage}.yml");
    expect(source.params?.[0]?.parts).toHaveLength(3);
    expect(source.address?.text).toBe("a.b");
  });

  it.each([
    ["an unquoted string fallback", "${opt:stage, dev}", /strings must be quoted \('dev'\)/],
    ["a missing closing brace", "${self:custom.x", /missing closing \}/],
    ["a literal that is not last", "${env:A, 'x', env:B}", /literal fallback must be the last/],
    ["an unterminated quote", "${env:A, 'x}", /unterminated quoted string/],
    ["a missing parenthesis", "${file(./a.yml}", /missing \)/],
  ])("rejects %s", (_label, text, message) => {
    expect(() => parseTemplate(text)).toThrow(VariableSyntaxError);
    expect(() => parseTemplate(text)).toThrow(message);
  });

  it("bounds nesting depth instead of overflowing the stack", () => {
    const deep = `${"${env:A, ".repeat(500)}'x'${"}".repeat(500)}`;
    expect(() => parseTemplate(deep)).toThrow(/nested too deeply/);
  });
});

describe("resolveVariables: self", () => {
  it("resolves dotted paths, array indexes and whole objects", () => {
    const config = resolveOk({
      custom: { name: "pool", list: ["a", "b"], tags: { team: "id" } },
      a: "${self:custom.name}",
      b: "${self:custom.list.1}",
      c: "${self:custom.tags}",
    });
    expect(config.a).toBe("pool");
    expect(config.b).toBe("b");
    expect(config.c).toEqual({ team: "id" });
  });

  it("resolves the target's own variables first, along chains and inside objects", () => {
    const config = resolveOk(
      {
        first: "${self:second}",
        second: "${self:third}",
        third: "${opt:stage}",
        obj: "${self:holder}",
        holder: { inner: "${self:third}", deeper: { x: "${self:second}-x" } },
      },
      context({ stage: "prod" }),
    );
    expect(config.first).toBe("prod");
    expect(config.obj).toEqual({ inner: "prod", deeper: { x: "prod-x" } });
  });

  it("follows a path through a property whose value is a variable", () => {
    const config = resolveOk({ alias: "${self:real}", real: { key: "v" }, out: "${self:alias.key}" });
    expect(config.out).toBe("v");
  });

  it("copies values, so later changes to one place do not leak into another", () => {
    const config = resolveOk({ src: { k: "v" }, copy: "${self:src}" });
    expect(config.copy).toEqual(config.src);
    expect(config.copy).not.toBe(config.src);
  });

  it("reports a missing path with the variable text and the property path", () => {
    expect(problemsOf({ custom: {}, x: { y: "${self:custom.nope}" } })).toEqual([
      {
        code: "VARIABLE_RESOLUTION_ERROR",
        message: 'cannot resolve "${self:custom.nope}": no value at "custom.nope" in the configuration',
        path: ["x", "y"],
      },
    ]);
  });

  it("lets a null value fall through to the fallback, and fails without one", () => {
    const config = resolveOk({ custom: { empty: null }, x: "${self:custom.empty, 'fallback'}" });
    expect(config.x).toBe("fallback");
    const [problem] = problemsOf({ custom: { empty: null }, x: "${self:custom.empty}" });
    expect(problem?.message).toMatch(/^cannot resolve "\$\{self:custom.empty\}": /);
  });

  it("does not read inherited properties", () => {
    const [problem] = problemsOf({ x: "${self:constructor}" });
    expect(problem?.message).toContain('no value at "constructor"');
  });

  it("reports ${self:} inside the configuration as circular, as Serverless does", () => {
    const [problem] = problemsOf({ a: 1, all: "${self:}" });
    expect(problem?.path).toEqual(["all"]);
    expect(problem?.message).toContain("circular reference");
  });
});

describe("resolveVariables: opt, sls, aws", () => {
  it("reads stage and region options", () => {
    const config = resolveOk(
      { s: "${opt:stage}", r: "${opt:region}" },
      context({ stage: "prod", region: "eu-west-1" }),
    );
    expect(config).toEqual({ s: "prod", r: "eu-west-1" });
  });

  it("treats a missing or unknown option as absent", () => {
    const config = resolveOk({ s: "${opt:stage, 'dev'}", o: "${opt:color, 'blue'}" }, context({ stage: "" }));
    expect(config).toEqual({ s: "dev", o: "blue" });
    expect(problemsOf({ o: "${opt:color}" }, context({ stage: "prod" }))[0]?.message).toBe(
      'cannot resolve "${opt:color}": option --color was not given (only --stage and --region reach the compiler)',
    );
    expect(problemsOf({ s: "${opt:stage}" })[0]?.message).toBe(
      'cannot resolve "${opt:stage}": option --stage was not given',
    );
  });

  it("gives sls:stage from the flag, then provider.stage (resolved), then dev", () => {
    const config = { provider: { stage: "${opt:stage, 'qa'}" }, s: "${sls:stage}" };
    expect(resolveOk(config, context({ stage: "prod" })).s).toBe("prod");
    expect(resolveOk(config).s).toBe("qa");
    expect(resolveOk({ s: "${sls:stage}" }).s).toBe("dev");
  });

  it("gives aws:region from the flag, then provider.region, then us-east-1", () => {
    const config = {
      provider: { region: "${self:custom.r}" },
      custom: { r: "ap-south-1" },
      r: "${aws:region}",
    };
    expect(resolveOk(config, context({ region: "eu-central-1" })).r).toBe("eu-central-1");
    expect(resolveOk(config).r).toBe("ap-south-1");
    expect(resolveOk({ r: "${aws:region}" }).r).toBe("us-east-1");
  });

  it("refuses sls:instanceId as not supported", () => {
    const [problem] = problemsOf({ i: "${sls:instanceId}" });
    expect(problem?.message).toContain(
      'Variable source "sls:instanceId" needs AWS and cannot be resolved offline',
    );
    expect(problem?.message).toContain("not supported");
  });

  it.each([
    ["ssm", "${ssm:/path/to/param}", "ssm"],
    ["cf", "${cf:stack.output}", "cf"],
    ["s3", "${s3:bucket/key}", "s3"],
    ["param", "${param:domain}", "param"],
    ["aws:accountId", "${aws:accountId}", "aws:accountId"],
    ["ssm even with a fallback", "${ssm:/x, 'default'}", "ssm"],
  ])("reports %s as needing AWS, naming the path", (_label, text, name) => {
    expect(problemsOf({ provider: { x: text } })).toEqual([
      {
        code: "VARIABLE_RESOLUTION_ERROR",
        message: `cannot resolve "${text}": Variable source "${name}" needs AWS and cannot be resolved offline`,
        path: ["provider", "x"],
      },
    ]);
  });

  it("reports unknown sources", () => {
    expect(problemsOf({ x: "${vault:secret}" })[0]?.message).toContain('unknown variable source "vault"');
  });
});

describe("resolveVariables: env", () => {
  it("reads the injected environment", () => {
    expect(resolveOk({ x: "${env:POOL}" }, context({ env: { POOL: "users" } })).x).toBe("users");
  });

  it("names the path, the variable and the variable name when unset (never an empty string)", () => {
    const result = resolveVariables({ provider: { environment: { POOL: "${env:POOL_NAME}" } } }, context());
    expect(result.problems).toEqual([
      {
        code: "VARIABLE_RESOLUTION_ERROR",
        message: 'cannot resolve "${env:POOL_NAME}": environment variable POOL_NAME is not set',
        path: ["provider", "environment", "POOL"],
      },
    ]);
    expect(result.config.provider).toEqual({ environment: { POOL: "${env:POOL_NAME}" } });
  });

  it("treats an empty environment variable as unset, as Serverless does", () => {
    expect(resolveOk({ x: "${env:E, 'fb'}" }, context({ env: { E: "" } })).x).toBe("fb");
  });
});

describe("resolveVariables: fallbacks and types", () => {
  it.each([
    ["single-quoted string", "${env:X, 'dev'}", "dev"],
    ["double-quoted string", '${env:X, "dev"}', "dev"],
    ["number", "${env:X, 123}", 123],
    ["true", "${env:X, true}", true],
    ["false", "${env:X, false}", false],
    ["null", "${env:X, null}", null],
    ["typed source", "${env:X, self:custom.v}", "from-self"],
    ["nested variable", "${env:X, ${self:custom.v}}", "from-self"],
  ])("uses a %s fallback", (_label, text, expected) => {
    expect(resolveOk({ custom: { v: "from-self" }, x: text }).x).toEqual(expected);
  });

  it("takes the first source of a chain that has a value", () => {
    const config = { x: "${env:A, env:B, opt:stage, 'last'}" };
    expect(resolveOk(config, context({ env: { A: "a", B: "b" } })).x).toBe("a");
    expect(resolveOk(config, context({ env: { B: "b" } })).x).toBe("b");
    expect(resolveOk(config, context({ stage: "s" })).x).toBe("s");
    expect(resolveOk(config).x).toBe("last");
  });

  it("reports every reason when a chain without a literal runs dry", () => {
    expect(problemsOf({ x: "${env:A, opt:stage}" })[0]?.message).toBe(
      'cannot resolve "${env:A, opt:stage}": environment variable A is not set; option --stage was not given',
    );
  });

  it("falls through a nested fallback variable that has no value", () => {
    expect(resolveOk({ x: "${env:A, ${env:B}, 'c'}" }).x).toBe("c");
  });

  it("falls through a source or nested fallback that resolves to null", () => {
    expect(resolveOk({ x: "${env:A, ${env:B, null}, 'c'}" }).x).toBe("c");
    const emptyFile = context({}, { "empty.yml": null });
    expect(resolveOk({ x: "${file(./empty.yml), 'd'}" }, emptyFile).x).toBe("d");
  });

  it("resolves variables in addresses", () => {
    const config = {
      custom: { dev: "DevPool", prod: "ProdPool" },
      pool: "${self:custom.${opt:stage, 'dev'}}",
    };
    expect(resolveOk(config).pool).toBe("DevPool");
    expect(resolveOk(config, context({ stage: "prod" })).pool).toBe("ProdPool");
  });

  it("makes a missing value inside an address an error, not a fallback", () => {
    const [problem] = problemsOf({ custom: {}, x: "${self:custom.${opt:stage}, 'fb'}" });
    expect(problem?.message).toBe(
      'cannot resolve "${self:custom.${opt:stage}, \'fb\'}": cannot resolve "${opt:stage}": option --stage was not given',
    );
  });

  it("keeps the resolved type when the string is exactly one variable", () => {
    const config = resolveOk({
      custom: { n: 3, b: false, o: { k: [1, 2] }, l: ["x"] },
      n: "${self:custom.n}",
      b: "${self:custom.b}",
      o: "${self:custom.o}",
      l: "${self:custom.l}",
    });
    expect(config.n).toBe(3);
    expect(config.b).toBe(false);
    expect(config.o).toEqual({ k: [1, 2] });
    expect(config.l).toEqual(["x"]);
  });

  it("interpolates strings, numbers and booleans into longer strings", () => {
    const config = resolveOk(
      { custom: { n: 3, b: true }, s: "pool-${opt:stage}-${self:custom.n}-${self:custom.b}" },
      context({ stage: "dev" }),
    );
    expect(config.s).toBe("pool-dev-3-true");
  });

  it("treats a variable surrounded by spaces as interpolation", () => {
    expect(resolveOk({ custom: { n: 3 }, s: " ${self:custom.n}" }).s).toBe(" 3");
  });

  it("refuses objects and arrays inside a longer string", () => {
    const problems = problemsOf({
      custom: { o: { a: 1 }, l: [1] },
      s: "x ${self:custom.o}",
      t: "${self:custom.l}!",
    });
    expect(problems.map((p) => p.path)).toEqual([["s"], ["t"]]);
    expect(problems[0]?.message).toContain(
      'cannot use "${self:custom.o}" inside a string: it resolves to an object',
    );
    expect(problems[1]?.message).toContain("it resolves to an array");
  });

  it("resolves values but never keys", () => {
    const config = resolveOk({ "${opt:stage}": "${opt:stage}" }, context({ stage: "prod" }));
    expect(config).toEqual({ "${opt:stage}": "prod" });
  });

  it("resolves variables in arrays and deep inside intrinsics", () => {
    const config = resolveOk(
      { list: ["${opt:stage}", { "Fn::Sub": "arn:${AWS::Region}:${opt:stage}" }] },
      context({ stage: "prod" }),
    );
    expect(config.list).toEqual(["prod", { "Fn::Sub": "arn:${AWS::Region}:prod" }]);
  });

  it("converts strToBool input", () => {
    const config = resolveOk(
      { a: "${strToBool(true)}", b: "${strToBool(0)}", c: "${strToBool(${env:F})}" },
      context({ env: { F: "false" } }),
    );
    expect(config).toEqual({ a: true, b: false, c: false });
  });

  it("does not modify its input", () => {
    const input = { a: "${opt:stage, 'dev'}" };
    resolveOk(input);
    expect(input.a).toBe("${opt:stage, 'dev'}");
  });

  it("reports syntax errors at the property", () => {
    const [problem] = problemsOf({ a: { b: "${opt:stage, dev}" } });
    expect(problem?.path).toEqual(["a", "b"]);
    expect(problem?.message).toMatch(/^invalid variable syntax: invalid fallback value "dev"/);
  });
});

describe("resolveVariables: cycles and bounds", () => {
  it("reports a two-property cycle once instead of overflowing", () => {
    const problems = problemsOf({ a: "${self:b}", b: "${self:a}" });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe('cannot resolve "${self:a}": circular reference: a -> b -> a');
    expect(problems[0]?.path).toEqual(["b"]);
  });

  it("reports a property that refers to itself", () => {
    const [problem] = problemsOf({ custom: { x: "pre-${self:custom.x}" } });
    expect(problem?.message).toContain("circular reference: custom.x -> custom.x");
  });

  it("reports a property that refers to its own parent", () => {
    const [problem] = problemsOf({ custom: { x: "${self:custom}" } });
    expect(problem?.message).toContain("circular reference");
  });

  it("does not cascade: a property depending on a failed one adds no second problem", () => {
    const problems = problemsOf({ a: "${env:NOPE}", b: "${self:a}", c: "${self:b, 'fb'}" });
    expect(problems.map((p) => p.path)).toEqual([["a"]]);
  });

  it("resolves long chains of references and bounds over-long ones", () => {
    const chain = (length: number): JsonObject => {
      const config: JsonObject = { [`p${length}`]: "end" };
      for (let i = 0; i < length; i++) config[`p${i}`] = `\${self:p${i + 1}}`;
      return config;
    };
    expect(resolveOk(chain(150)).p0).toBe("end");
    const problems = problemsOf(chain(MAX_REFERENCE_CHAIN + 50));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.message).toContain("refer to each other in a chain");
  });

  it("stops configurations that double at each level", () => {
    const config: JsonObject = { l0: ["x", "x"] };
    for (let i = 1; i <= 40; i++) config[`l${i}`] = [`\${self:l${i - 1}}`, `\${self:l${i - 1}}`];
    const started = performance.now();
    const problems = problemsOf(config);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(problems.some((p) => p.message.includes("expand the configuration beyond"))).toBe(true);
  });

  it("stops strings that double at each level", () => {
    const config: JsonObject = { s0: "xxxxxxxxxxxxxxxx" };
    for (let i = 1; i <= 40; i++) config[`s${i}`] = `\${self:s${i - 1}}\${self:s${i - 1}}`;
    const problems = problemsOf(config);
    expect(problems.some((p) => p.message.includes("longer than"))).toBe(true);
  });
});

describe("resolveVariables: file()", () => {
  const files = {
    "config/settings.yml": {
      name: "settings-${self:custom.app}",
      nested: { level: "deep" },
      list: ["a", "b"],
    },
    "config/dev.json": { poolName: "dev-pool" },
    "loop.yml": { again: "${file(./loop.yml)}" },
  };

  it("loads a whole file, resolving its variables against the main configuration", () => {
    const config = resolveOk(
      { custom: { app: "demo" }, s: "${file(./config/settings.yml)}" },
      context({}, files),
    );
    expect(config.s).toEqual({ name: "settings-demo", nested: { level: "deep" }, list: ["a", "b"] });
  });

  it("reads a dotted key, including array indexes", () => {
    const config = resolveOk(
      {
        custom: { app: "demo" },
        a: "${file(config/settings.yml):nested.level}",
        b: "${file(./config/settings.yml):list.1}",
      },
      context({}, files),
    );
    expect(config).toMatchObject({ a: "deep", b: "b" });
  });

  it("resolves variables in the file path", () => {
    const config = resolveOk(
      { p: "${file(./config/${opt:stage, 'dev'}.json):poolName}" },
      context({}, files),
    );
    expect(config.p).toBe("dev-pool");
  });

  it("uses the fallback for a missing file or key, and reports them without one", () => {
    const config = resolveOk(
      { a: "${file(./missing.yml), 'no-file'}", b: "${file(./config/dev.json):nope, 'no-key'}" },
      context({}, files),
    );
    expect(config).toEqual({ a: "no-file", b: "no-key" });
    const problems = problemsOf(
      { a: "${file(./missing.yml)}", b: "${file(./config/dev.json):nope}" },
      context({}, files),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'cannot resolve "${file(./missing.yml)}": file missing.yml does not exist',
      'cannot resolve "${file(./config/dev.json):nope}": no value at "nope" in config/dev.json',
    ]);
  });

  it("reads each file once", () => {
    let reads = 0;
    const ctx = context({
      loadFile: () => {
        reads++;
        return { status: "ok", value: { a: 1, b: 2 } };
      },
    });
    expect(resolveOk({ x: "${file(./f.yml):a}", y: "${file(./f.yml):b}" }, ctx)).toEqual({ x: 1, y: 2 });
    expect(reads).toBe(1);
  });

  it("refuses files outside the service directory and script files", () => {
    const problems = problemsOf({ a: "${file(../secret.yml)}", b: "${file(./vars.js)}" }, context({}, files));
    expect(problems[0]?.message).toContain("files must be inside the service directory");
    expect(problems[1]?.message).toContain("only .yml, .yaml and .json");
  });

  it("passes loader errors on", () => {
    const ctx = context({ loadFile: () => ({ status: "error", message: "cannot parse bad.yml: 1:6 oops" }) });
    expect(problemsOf({ a: "${file(./bad.yml), 'fb'}" }, ctx)[0]?.message).toBe(
      "cannot resolve \"${file(./bad.yml), 'fb'}\": cannot parse bad.yml: 1:6 oops",
    );
  });

  it("names the file and key of a failing variable inside it", () => {
    const [problem] = problemsOf({ custom: {}, s: "${file(./config/settings.yml)}" }, context({}, files));
    expect(problem?.path).toEqual(["s"]);
    expect(problem?.message).toContain("in config/settings.yml at name");
  });

  it("bounds a file that includes itself", () => {
    const [problem] = problemsOf({ s: "${file(./loop.yml)}" }, context({}, files));
    expect(problem?.message).toContain("more than 10 levels deep");
  });
});
