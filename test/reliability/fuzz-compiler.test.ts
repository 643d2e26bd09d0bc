// Reliability: random and mutated serverless.yml files give a template or a CompileError with paths, never else.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Serverless variables, not JS templates.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compile } from "../../src/compiler/compile.js";
import { CompileError } from "../../src/compiler/errors.js";
import { loadService } from "../../src/compiler/load-service.js";
import { fixedClock } from "../../src/shared/clock.js";

const SEED = 0x5e21;
const OBJECT_RUNS = 150;
const TEXT_RUNS = 120;
const CLI = resolve(import.meta.dirname, "..", "..", "dist", "cli", "bin.js");

/** A valid service touching pools, existing pools, KMS, variables and resources. */
const BASE = `service: fuzzsvc
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  stage: \${opt:stage, 'dev'}
custom:
  poolName: Users
  tier: \${self:custom.poolName}-tier
functions:
  hook:
    handler: handler.handler
    events:
      - cognitoUserPool:
          pool: \${self:custom.poolName}
          trigger: PreSignUp
      - cognitoUserPool:
          pool: OldPool
          trigger: PostAuthentication
          existing: true
  tokens:
    handler: handler.tokens
    events:
      - cognitoUserPool:
          pool: Users
          trigger: PreTokenGeneration
          lambdaVersion: V2_0
  sender:
    handler: handler.sender
    events:
      - cognitoUserPool:
          pool: Users
          trigger: CustomEmailSender
          kmsKeyId: arn:aws:kms:us-east-1:123456789012:key/1234
resources:
  Resources:
    CognitoUserPoolUsers:
      Type: AWS::Cognito::UserPool
      Properties:
        UserPoolName: !Sub "\${AWS::StackName}-users"
  Outputs:
    PoolId:
      Value: !Ref CognitoUserPoolUsers
`;

const HANDLER =
  "export const handler = async (e) => e;\nexport const tokens = handler;\nexport const sender = handler;\n";

type Outcome = "compiled" | "compileError" | "bad";

interface Verdict {
  outcome: Outcome;
  problems: number;
  why?: string;
}

/** Every problem must name where it is (a path of keys and indexes) and what is wrong. */
function checkProblems(error: CompileError): string | undefined {
  if (error.problems.length === 0) return "CompileError without problems";
  for (const p of error.problems) {
    if (!Array.isArray(p.path)) return `problem without a path: ${JSON.stringify(p)}`;
    if (
      !p.path.every(
        (part) => typeof part === "string" || (typeof part === "number" && Number.isInteger(part)),
      )
    )
      return `malformed path: ${JSON.stringify(p.path)}`;
    if (typeof p.message !== "string" || p.message.trim() === "")
      return `problem without a message: ${JSON.stringify(p)}`;
    if (typeof p.code !== "string" || p.code === "") return `problem without a code: ${JSON.stringify(p)}`;
  }
  return undefined;
}

let root = "";
let caseNumber = 0;

async function compileText(text: string, fileName = "serverless.yml"): Promise<Verdict> {
  const dir = join(root, `case-${caseNumber++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, fileName), text);
  await writeFile(join(dir, "handler.mjs"), HANDLER);
  try {
    const loaded = await loadService({ cwd: dir, env: {} });
    const result = compile(
      { config: loaded.config, stage: loaded.stage, region: loaded.region, locate: loaded.locate },
      { clock: fixedClock(1_700_000_000_000), artifactHashes: () => "h" },
    );
    if (typeof result.template !== "object" || result.template === null || !result.template.Resources)
      return { outcome: "bad", problems: 0, why: "compiled without a template" };
    // A template must be plain JSON (no cycles, no functions) so it can be written.
    JSON.stringify(result.template);
    return { outcome: "compiled", problems: 0 };
  } catch (error) {
    if (!(error instanceof CompileError)) {
      const e = error as Error;
      return { outcome: "bad", problems: 0, why: `${e?.name}: ${String(e?.message).slice(0, 300)}` };
    }
    const why = checkProblems(error);
    if (why) return { outcome: "bad", problems: error.problems.length, why };
    return { outcome: "compileError", problems: error.problems.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- hand-made hostile texts --------------------------------------------------------------------

function nestedMaps(levels: number): string {
  let out = "service: deep\nprovider:\n  name: aws\n  runtime: nodejs20.x\ncustom:\n";
  for (let i = 0; i < levels; i++) out += `${"  ".repeat(i + 1)}k${i}:\n`;
  return `${out}${"  ".repeat(levels + 1)}leaf: 1\n`;
}

const HOSTILE: Record<string, string> = {
  "valid base": BASE,
  "deep block maps (200)": nestedMaps(200),
  "deep flow sequences (200)": `service: deep\nprovider: {name: aws, runtime: nodejs20.x}\ncustom: ${"[".repeat(200)}1${"]".repeat(200)}\n`,
  "deep flow maps (200) in a trigger": `${BASE}\n`.replace(
    "trigger: PreSignUp",
    `trigger: ${"{a: ".repeat(200)}1${"}".repeat(200)}`,
  ),
  "alias bomb": `service: bomb
provider: {name: aws, runtime: nodejs20.x}
custom:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
`,
  "huge anchor": `service: anchor\nprovider: {name: aws, runtime: nodejs20.x}\ncustom:\n  big: &big "${"x".repeat(2_000_000)}"\n  ${Array.from({ length: 50 }, (_, i) => `r${i}: *big`).join("\n  ")}\n`,
  "undefined alias": `${BASE}\nx: *nowhere\n`,
  "unknown tag": BASE.replace("!Ref CognitoUserPoolUsers", "!Frobnicate CognitoUserPoolUsers"),
  "CFN tag with wrong shape": BASE.replace("!Ref CognitoUserPoolUsers", "!GetAtt [1, [2], {x: 3}]"),
  "unknown tag on trigger": BASE.replace("trigger: PreSignUp", "trigger: !Ref PreSignUp"),
  "broken variable ${": BASE.replace("${self:custom.poolName}-tier", "${self:custom.poolName"),
  "broken variable in pool": BASE.replace("pool: ${self:custom.poolName}", "pool: ${"),
  "empty variable": BASE.replace("${self:custom.poolName}-tier", "${}"),
  "unknown variable source": BASE.replace("${self:custom.poolName}-tier", "${nope:thing}"),
  "missing file variable": BASE.replace("${self:custom.poolName}-tier", "${file(./absent.yml):x}"),
  "file variable escaping the dir": BASE.replace(
    "${self:custom.poolName}-tier",
    "${file(../../../../etc/passwd)}",
  ),
  "self cycle": BASE.replace("poolName: Users", "poolName: ${self:custom.tier}"),
  "nested variable bomb": BASE.replace(
    "${self:custom.poolName}-tier",
    "${self:${self:${self:${self:custom.a}}}}",
  ),
  "duplicate keys": BASE.replace("  poolName: Users\n", "  poolName: Users\n  poolName: Other\n"),
  "tabs for indentation": BASE.replace("  name: aws", "\tname: aws"),
  "not a map": "- just\n- a\n- list\n",
  "scalar document": "hello\n",
  "empty file": "",
  "null document": "~\n",
  "multiple documents": `${BASE}---\nservice: second\n`,
  "binary garbage": "\u0000\u0001\u0002\ufffe\ud800",
  "huge key count": `service: many\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n${Array.from({ length: 2000 }, (_, i) => `  f${i}: {handler: handler.handler, events: [{cognitoUserPool: {pool: P${i % 7}, trigger: PreSignUp}}]}`).join("\n")}\n`,
  "events not a list": BASE.replace(/events:\n\s+- cognitoUserPool:/, "events: 12\n      - cognitoUserPool:"),
  "functions a string": BASE.replace("functions:\n", "functions: nope\nignored:\n"),
};

// ---- object-level mutation of the base ------------------------------------------------------------

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function setAt(
  root: unknown,
  path: Path,
  update: (parent: Record<string | number, unknown>, key: string | number) => void,
): void {
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) update(node, last);
}

const weirdString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.constantFrom(
    "",
    "PreSignUp ",
    "presignup",
    "CustomSMSSender",
    "${self:custom.poolName}",
    "${opt:stage}",
    "${env:NOPE}",
    "${",
    "${self:",
    "}",
    "x".repeat(300),
    "a b/c:d",
    "__proto__",
    "constructor",
    "V3_0",
    "arn:aws:kms:us-east-1:123456789012:key/1234",
  ),
);

const { value: weirdValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    weirdString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(weirdString, tie("value"), { maxKeys: 3 }),
  ),
}));

type Edit =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "add"; at: number; key: string; value: unknown };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: weirdValue }),
  fc.record({
    kind: fc.constant("add" as const),
    at: fc.nat(),
    key: fc.oneof(
      weirdString,
      fc.constantFrom("pool", "trigger", "existing", "lambdaVersion", "kmsKeyArn", "forceDeploy"),
    ),
    value: weirdValue,
  }),
);

function applyEdits(edits: readonly Edit[]): unknown {
  const doc = parse(BASE, { customTags: cfnTagsPassThrough }) as Record<string, unknown>;
  for (const e of edits) {
    const paths = pathsOf(doc).filter((p) => p.length > 0);
    const path = paths[e.at % paths.length] as Path;
    if (e.kind === "delete")
      setAt(doc, path, (parent, key) => {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      });
    else if (e.kind === "replace") setAt(doc, path, (parent, key) => (parent[key] = e.value));
    else
      setAt(doc, path, (parent, key) => {
        const target = parent[key];
        if (typeof target === "object" && target !== null && !Array.isArray(target))
          (target as Record<string, unknown>)[e.key] = e.value;
        else parent[key] = { [e.key]: e.value };
      });
  }
  return doc;
}

/** Keeps !Sub / !Ref readable by `yaml` while the base is mutated (they become plain maps). */
const cfnTagsPassThrough = [
  { tag: "!Sub", resolve: (value: string) => ({ "Fn::Sub": value }) },
  { tag: "!Ref", resolve: (value: string) => ({ Ref: value }) },
];

// ---- text-level mutation -------------------------------------------------------------------------

type Splice = { at: number; remove: number; insert: string };

const splice: fc.Arbitrary<Splice> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      "${",
      "}",
      ":",
      "- ",
      "\n",
      "\n  ",
      "&x ",
      "*x",
      "!Ref ",
      "!!binary ",
      "{",
      "[",
      "'",
      '"',
      "#",
      "\t",
      "? ",
    ),
  ),
});

function spliceText(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of splices) {
    const at = s.at % (out.length + 1);
    out = out.slice(0, at) + s.insert + out.slice(at + s.remove);
  }
  return out;
}

// ---- the tests -------------------------------------------------------------------------------------

describe("fuzz: the compiler on random and mutated serverless.yml", () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "fuzz-compiler-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("compiles the base service (the mutations start from something valid)", async () => {
    const verdict = await compileText(BASE);
    console.log(JSON.stringify({ test: "fuzz-compiler base", ...verdict }));
    expect(verdict).toEqual({ outcome: "compiled", problems: 0 });
  });

  it("answers hand-made hostile files with a template or located problems", async () => {
    const results: Record<string, string> = {};
    const bad: string[] = [];
    let slowestMs = 0;
    for (const [name, text] of Object.entries(HOSTILE)) {
      const started = Date.now();
      const verdict = await compileText(text);
      slowestMs = Math.max(slowestMs, Date.now() - started);
      results[name] =
        verdict.outcome === "compileError" ? `compileError(${verdict.problems})` : verdict.outcome;
      if (verdict.outcome === "bad") bad.push(`${name}: ${verdict.why}`);
    }
    console.log(
      JSON.stringify({
        test: "fuzz-compiler hostile",
        cases: Object.keys(HOSTILE).length,
        slowestMs,
        results,
        bad,
      }),
    );
    expect(bad).toEqual([]);
    // The ones that must not compile.
    for (const name of [
      "alias bomb",
      "broken variable ${",
      "broken variable in pool",
      "not a map",
      "binary garbage",
    ])
      expect(results[name], name).toMatch(/^compileError/);
  });

  it("answers mutated objects (deleted keys, wrong types, random trigger/pool) the same way", async () => {
    const counts: Record<Outcome, number> = { compiled: 0, compileError: 0, bad: 0 };
    const failures: string[] = [];
    const started = Date.now();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(edit, { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (edits, asJson) => {
            const doc = applyEdits(edits);
            const text = asJson ? JSON.stringify(doc) : stringify(doc);
            const verdict = await compileText(text, asJson ? "serverless.json" : "serverless.yml");
            counts[verdict.outcome]++;
            if (verdict.outcome === "bad") {
              failures.push(`${verdict.why} for ${JSON.stringify(edits).slice(0, 300)}`);
              throw new Error(verdict.why);
            }
          },
        ),
        { seed: SEED, numRuns: OBJECT_RUNS, endOnFailure: true },
      );
    } finally {
      console.log(
        JSON.stringify({
          test: "fuzz-compiler objects",
          seed: SEED,
          runs: OBJECT_RUNS,
          ...counts,
          ms: Date.now() - started,
          failures: failures.slice(0, 3),
        }),
      );
    }
    expect(counts.bad).toBe(0);
    expect(counts.compileError).toBeGreaterThan(0);
  });

  it("answers spliced texts (random bytes, YAML syntax, variables) the same way", async () => {
    const counts: Record<Outcome, number> = { compiled: 0, compileError: 0, bad: 0 };
    const failures: string[] = [];
    const started = Date.now();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(splice, { minLength: 1, maxLength: 5 }), async (splices) => {
          const verdict = await compileText(spliceText(BASE, splices));
          counts[verdict.outcome]++;
          if (verdict.outcome === "bad") {
            failures.push(`${verdict.why} for ${JSON.stringify(splices).slice(0, 300)}`);
            throw new Error(verdict.why);
          }
        }),
        { seed: SEED + 1, numRuns: TEXT_RUNS, endOnFailure: true },
      );
    } finally {
      console.log(
        JSON.stringify({
          test: "fuzz-compiler texts",
          seed: SEED + 1,
          runs: TEXT_RUNS,
          ...counts,
          ms: Date.now() - started,
          failures: failures.slice(0, 3),
        }),
      );
    }
    expect(counts.bad).toBe(0);
  });

  it.skipIf(!existsSync(CLI))("never leaves a partial output dir with the built CLI `package`", async () => {
    const cases: Record<string, string> = {
      "valid base": BASE,
      "alias bomb": HOSTILE["alias bomb"] as string,
      "broken variable": HOSTILE["broken variable ${"] as string,
      "bad trigger": BASE.replace("trigger: PreSignUp", "trigger: PreSignUpp"),
      "deep nesting": HOSTILE["deep flow maps (200) in a trigger"] as string,
    };
    const exits: Record<string, number | null> = {};
    const bad: string[] = [];
    for (const [name, text] of Object.entries(cases)) {
      const dir = join(root, `cli-${caseNumber++}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "serverless.yml"), text);
      await writeFile(join(dir, "handler.mjs"), HANDLER);
      const run = spawnSync(process.execPath, [CLI, "package", "--out", "out"], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", HOME: dir },
        encoding: "utf8",
        timeout: 30_000,
      });
      exits[name] = run.status;
      const left = await readdir(dir);
      const outExists = left.includes("out");
      const staging = left.filter((f) => f.startsWith("out.tmp-"));
      if (staging.length > 0) bad.push(`${name}: staging dir left: ${staging.join(",")}`);
      if (
        run.status === 0 &&
        !(outExists && (await readdir(join(dir, "out"))).some((f) => f.startsWith("cloudformation-template")))
      )
        bad.push(`${name}: exit 0 without a template`);
      if (run.status !== 0 && outExists)
        bad.push(`${name}: exit ${run.status} but an output dir was written`);
      if (run.status !== 0 && run.status !== 2)
        bad.push(`${name}: exit ${run.status} (not a configuration error): ${run.stderr.slice(0, 300)}`);
      if (run.status === 2 && /\n\s+at\s/.test(run.stderr)) bad.push(`${name}: stack trace on stderr`);
    }
    console.log(JSON.stringify({ test: "fuzz-compiler cli package", exits, bad }));
    expect(bad).toEqual([]);
    expect(exits["valid base"]).toBe(0);
    expect(exits["alias bomb"]).toBe(2);
  });
});
