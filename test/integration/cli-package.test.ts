// The built binary run as a process: package on the example service and on fixtures, print, and the error paths.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "dist", "cli", "bin.js");
const EXAMPLE = join(ROOT, "examples", "user-pools-and-triggers", "serverless.yml");
const FIXTURES = join(ROOT, "test", "fixtures", "serverless");

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "ct-package-"));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("cognito-triggers package (built binary)", () => {
  it("packages the example service: template, bundled TypeScript handlers, summary", async () => {
    const dir = join(out, "example");
    const result = await cli(["package", "--config", EXAMPLE, "--out", dir, "--stage", "test"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Packaged service "user-pools-and-triggers" (stage test, region us-east-1)',
    );
    expect(result.stdout).toMatch(/UserPoolsAndTriggers \[CognitoUserPoolUserPoolsAndTriggers\]/);
    expect(result.stdout).toContain("PreSignUp → autoConfirm");
    expect(result.stdout).toContain("AWS::Cognito::UserPool: 1");

    expect((await readdir(dir)).sort()).toEqual([
      "cloudformation-template.json",
      "user-pools-and-triggers.zip",
    ]);
    const template = JSON.parse(await readFile(join(dir, "cloudformation-template.json"), "utf8"));
    const pool = template.Resources.CognitoUserPoolUserPoolsAndTriggers;
    expect(pool.Properties.UserPoolName).toBe("user-pools-and-triggers-test");
    expect(Object.keys(pool.Properties.LambdaConfig)).toEqual([
      "PreSignUp",
      "UserMigration",
      "PostAuthentication",
      "PostConfirmation",
    ]);
    expect(template.Resources.KnownUsersTable.Properties.TableName).toBe(
      "user-pools-and-triggers-test-known-users",
    );

    const zip = unzipSync(await readFile(join(dir, "user-pools-and-triggers.zip")));
    const names = Object.keys(zip);
    for (const handler of ["auto-confirm", "migrate-user", "activity-log"])
      expect(names).toContain(`src/handlers/${handler}.mjs`);
    expect(names).not.toContain("serverless.yml");
    const bundle = new TextDecoder().decode(zip["src/handlers/auto-confirm.mjs"]);
    expect(bundle).toContain("PreSignUp_SignUp");
    expect(bundle).toMatch(/from "@aws-sdk\/client-dynamodb"/);
  });

  it("writes identical artifacts for identical input (deterministic zips)", async () => {
    const a = join(out, "det-a");
    const b = join(out, "det-b");
    await cli(["package", "--config", EXAMPLE, "--out", a]);
    await cli(["package", "--config", EXAMPLE, "--out", b]);
    const [za, zb] = await Promise.all([
      readFile(join(a, "user-pools-and-triggers.zip")),
      readFile(join(b, "user-pools-and-triggers.zip")),
    ]);
    expect(za.equals(zb)).toBe(true);
  });

  it("adds custom-resources.zip with the bundled handler for existing pools", async () => {
    const dir = join(out, "existing");
    const result = await cli([
      "package",
      "--config",
      join(FIXTURES, "existing-several-triggers", "serverless.yml"),
      "--out",
      dir,
    ]);
    expect(result.code).toBe(0);
    const zip = unzipSync(await readFile(join(dir, "custom-resources.zip")));
    expect(Object.keys(zip)).toEqual(["cognito-user-pool/handler.mjs"]);
    const code = new TextDecoder().decode(zip["cognito-user-pool/handler.mjs"]);
    expect(code).toMatch(/export\s*\{[^}]*handler/);
    const template = JSON.parse(await readFile(join(dir, "cloudformation-template.json"), "utf8"));
    expect(
      template.Resources.CustomDashresourceDashexistingDashcupLambdaFunction.Properties.Code.S3Key,
    ).toMatch(/^serverless\/[^/]+\/dev\/\d+-[0-9T:.Z-]+\/custom-resources\.zip$/);
  });

  it("writes YAML with --format yaml", async () => {
    const dir = join(out, "yaml");
    const result = await cli(["package", "--config", EXAMPLE, "--out", dir, "--format", "yaml"]);
    expect(result.code).toBe(0);
    const template = parse(await readFile(join(dir, "cloudformation-template.yaml"), "utf8"));
    expect(template.Resources.CognitoUserPoolUserPoolsAndTriggers.Type).toBe("AWS::Cognito::UserPool");
  });

  it("lists every problem with file:line:column and path, exits 2 and writes nothing", async () => {
    const dir = join(out, "invalid");
    const result = await cli([
      "package",
      "--config",
      join(FIXTURES, "invalid-trigger-typo", "serverless.yml"),
      "--out",
      dir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /serverless\.yml:\d+:\d+ functions\.\w+\.events\[0\]\.cognitoUserPool\.trigger: must be equal to one of the allowed values/,
    );
    expect(result.stderr).toContain("nothing was written");
    await expect(readdir(dir)).rejects.toThrow();
  });

  it("names the path of an unresolvable variable", async () => {
    const config = join(out, "unresolvable.yml");
    await writeFile(
      config,
      "service: vars\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: h.h\n    events:\n      - cognitoUserPool:\n          pool: ${env:CT_TEST_MISSING_POOL}\n          trigger: PreSignUp\n",
    );
    for (const command of ["print", "package"]) {
      const extra = command === "package" ? ["--out", join(out, "unresolvable")] : [];
      const result = await cli([command, "--config", config, ...extra]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("functions.a.events[0].cognitoUserPool.pool");
      expect(result.stderr).toContain("CT_TEST_MISSING_POOL");
    }
    const set = await cli(["print", "--config", config], { CT_TEST_MISSING_POOL: "from-env" });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("pool: from-env");
  });

  it("prints the resolved configuration", async () => {
    const result = await cli(["print", "--config", EXAMPLE, "--stage", "qa"]);
    expect(result.code).toBe(0);
    const config = parse(result.stdout);
    expect(config.custom.tableName).toBe("user-pools-and-triggers-qa-known-users");
    expect(config.provider.iam.role.statements[0].Resource).toEqual([
      { "Fn::GetAtt": ["KnownUsersTable", "Arn"] },
      { "Fn::GetAtt": ["FailedSyncsTable", "Arn"] },
    ]);
  });

  it("rejects unknown commands and options with usage, exit 2", async () => {
    expect((await cli(["deploy"])).code).toBe(2);
    const bad = await cli(["package", "--nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: cognito-triggers package");
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Commands:");
  });
});
