// The compiler's entry: a resolved service in, a deployable CloudFormation template out, or every problem at once.
import type { Clock } from "../shared/clock.js";
import { coreTemplate } from "./core-template.js";
import { addCustomResourceInfrastructure } from "./custom-resource-infra.js";
import { type ConfigPath, type Problem, ProblemList, type SourceLocation } from "./errors.js";
import { compileExistingPools } from "./existing-pools.js";
import { type ArtifactHashes, addExportNames, addFunctions, addLogGroupsAndRole } from "./functions.js";
import type { ServiceModel } from "./model.js";
import { compileNewPools } from "./new-pools.js";
import { readService } from "./read-service.js";
import { mergeUserResources, stripNullProperties, validateUserResources } from "./resources-merge.js";
import type { JsonObject } from "./service-model.js";
import type { Template } from "./template.js";

export interface CompileInput {
  config: JsonObject;
  stage: string;
  region: string;
  locate?: ((path: ConfigPath) => SourceLocation | undefined) | undefined;
}

export interface CompileOptions {
  clock: Clock;
  /** SHA-256 (base64) of each code artifact by file name, for CodeSha256 and version ids. */
  artifactHashes: ArtifactHashes;
  /** Defaults to Serverless's `<prefix>/<service>/<stage>/<epochMs>-<ISO>` from the clock. */
  artifactDirectoryName?: string | undefined;
}

export interface CompileResult {
  template: Template;
  model: ServiceModel;
  warnings: Problem[];
  artifactDirectoryName: string;
}

export function artifactDirectoryNameFor(model: ServiceModel, clock: Clock): string {
  const now = clock.now();
  const prefix =
    typeof model.provider.deploymentPrefix === "string" ? model.provider.deploymentPrefix : "serverless";
  return `${prefix}/${model.service}/${model.stage}/${now}-${new Date(now).toISOString()}`;
}

/** Throws CompileError with every problem found; never returns a partial template. */
export function compile(input: CompileInput, options: CompileOptions): CompileResult {
  const problems = new ProblemList(input.locate);
  const warnings = new ProblemList(input.locate);
  const model = readService(input, problems, warnings);
  validateUserResources(model.resources, problems);
  // Later passes see only the valid events, so their problems are collected too instead of hidden.

  const artifactDirectoryName =
    options.artifactDirectoryName ?? artifactDirectoryNameFor(model, options.clock);
  const template = coreTemplate(model.provider);
  addLogGroupsAndRole(template, model);
  addFunctions(template, model, artifactDirectoryName, options.artifactHashes);
  compileNewPools(template.Resources, model, problems);
  const statements = compileExistingPools(template.Resources, model, options.clock, problems);
  if (statements.length > 0)
    addCustomResourceInfrastructure(template.Resources, model, statements, artifactDirectoryName);
  addExportNames(template, model);
  mergeUserResources(template, model.resources, problems);
  stripNullProperties(template);
  problems.throwIfAny();

  return { template, model, warnings: warnings.items, artifactDirectoryName };
}
