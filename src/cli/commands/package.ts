// `cognito-triggers package`: compile serverless.yml and write the template and code artifacts.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import { type CompileResult, compile } from "../../compiler/compile.js";
import { CUSTOM_RESOURCES_ARTIFACT } from "../../compiler/custom-resource-infra.js";
import { loadService } from "../../compiler/load-service.js";
import { buildCustomResourcesZip } from "../../packaging/custom-resources-artifact.js";
import { buildFunctionArtifacts } from "../../packaging/function-artifacts.js";
import { sha256Base64 } from "../../packaging/zip.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.js";
import { printWarnings, reportError } from "../report-problems.js";
import { parseOrExit, readFormat } from "./options.js";
import { summarize } from "./summary.js";

export const PACKAGE_USAGE = `Usage: cognito-triggers package [--config serverless.yml] [--stage s] [--region r] [--out dir] [--format json|yaml]

Compiles the service's cognitoUserPool events into a CloudFormation template and writes it, with the
code artifacts it references, to .cognito-triggers/package/ next to the configuration (or --out).
Exit 0 on success, 2 on configuration problems (all listed, nothing written), 1 on other failures.
`;

export interface PackageOutput {
  result: CompileResult;
  outDir: string;
  templatePath: string;
  artifacts: { name: string; bytes: number }[];
}

export interface PackageRequest {
  config?: string | undefined;
  stage?: string | undefined;
  region?: string | undefined;
  out?: string | undefined;
  format: "json" | "yaml";
}

/** Compiles and writes; throws CompileError before anything is written. */
export async function packageService(io: CliIo, request: PackageRequest): Promise<PackageOutput> {
  const loaded = await loadService({
    configPath: request.config,
    cwd: io.cwd,
    stage: request.stage,
    region: request.region,
    env: io.env,
  });
  const input = { config: loaded.config, stage: loaded.stage, region: loaded.region, locate: loaded.locate };
  const now = io.clock.now();
  const clock = { now: () => now };
  // A first pass validates everything before any artifact is built or any file is written.
  const draft = compile(input, { clock, artifactHashes: () => "" });

  const built = await buildFunctionArtifacts(loaded.serviceDir, draft.model);
  const hashes = new Map(built.map((a) => [a.name, sha256Base64(a.data)]));
  const result = compile(input, {
    clock,
    artifactHashes: (name) => hashes.get(name) ?? "",
    artifactDirectoryName: draft.artifactDirectoryName,
  });
  const files = built.map((a) => ({ name: a.name, data: a.data }));
  const usesCustomResource = Object.values(result.template.Resources).some(
    (r) => r.Type === "Custom::CognitoUserPool",
  );
  if (usesCustomResource)
    files.push({ name: CUSTOM_RESOURCES_ARTIFACT, data: await buildCustomResourcesZip() });

  const outDir = resolve(io.cwd, request.out ?? join(loaded.serviceDir, ".cognito-triggers", "package"));
  const templateName = `cloudformation-template.${request.format === "yaml" ? "yaml" : "json"}`;
  const body =
    request.format === "yaml"
      ? stringify(result.template, { aliasDuplicateObjects: false, lineWidth: 0 })
      : `${JSON.stringify(result.template, null, 2)}\n`;

  // Written next to the target and swapped in whole, so a failed write never leaves a mixed directory.
  const staging = `${outDir}.tmp-${process.pid}-${now}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await writeFile(join(staging, templateName), body);
    for (const file of files) await writeFile(join(staging, file.name), file.data);
    await mkdir(dirname(outDir), { recursive: true });
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return {
    result,
    outDir,
    templatePath: join(outDir, templateName),
    artifacts: files.map((f) => ({ name: f.name, bytes: f.data.byteLength })),
  };
}

export async function packageCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(
    argv,
    { out: { type: "string", short: "o" }, format: { type: "string", short: "f" } },
    PACKAGE_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const format = readFormat(values, ["json", "yaml"], io);
  if (!format) return EXIT_USAGE;
  try {
    const output = await packageService(io, {
      config: values.config as string | undefined,
      stage: values.stage as string | undefined,
      region: values.region as string | undefined,
      out: values.out as string | undefined,
      format,
    });
    printWarnings(io, output.result.warnings);
    io.stdout(summarize(output.result, relative(io.cwd, output.outDir) || ".", output.artifacts));
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error);
  }
}
