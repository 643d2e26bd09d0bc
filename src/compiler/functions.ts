// Everything Serverless v3 emits for the functions themselves: log groups, execution role, functions, versions, aliases.
import { createHash } from "node:crypto";
import { deploymentBucketRef } from "./core-template.js";
import { asObject, cloneJson, isObject } from "./json.js";
import type { FunctionModel, ServiceModel } from "./model.js";
import {
  LAMBDA_EXECUTION_ROLE_LOGICAL_ID,
  lambdaLogicalId,
  lambdaVersionLogicalId,
  logGroupLogicalId,
  qualifiedArnOutputLogicalId,
} from "./naming.js";
import type { Json, JsonObject } from "./service-model.js";
import { getAtt, logGroupArn, type Resource, ref, type Template } from "./template.js";

/** Serverless v3 defaults to nodejs16.x, which Lambda no longer accepts for new functions. */
export const DEFAULT_RUNTIME = "nodejs24.x";

/** Where each function's code lives and its SHA-256 (base64), as the package step computed them. */
export interface ArtifactPlan {
  /** Zip name inside the artifact directory: `<service>.zip`, or `<function>.zip` when packaged individually. */
  artifactName(fn: FunctionModel): string;
}

export type ArtifactHashes = (artifactName: string) => string;

export function artifactPlan(model: ServiceModel): ArtifactPlan {
  const individually = model.package?.individually === true;
  return {
    artifactName: (fn) =>
      individually || asObject(fn.config.package)?.individually === true
        ? `${fn.key}.zip`
        : `${model.service}.zip`,
  };
}

/** An existing role: an ARN string, or an intrinsic object (a key containing `::`). */
function isExistingRole(role: Json | undefined): boolean {
  return typeof role === "string" || (isObject(role) && Object.keys(role).some((k) => k.includes("::")));
}

export function addLogGroupsAndRole(template: Template, model: ServiceModel): void {
  const { provider } = model;
  for (const fn of model.functions) {
    if (fn.config.disableLogs) continue;
    const properties: JsonObject = { LogGroupName: `/aws/lambda/${fn.name}` };
    const retention = fn.config.logRetentionInDays ?? provider.logRetentionInDays;
    if (retention) properties.RetentionInDays = retention;
    const protection = fn.config.logDataProtectionPolicy ?? provider.logDataProtectionPolicy;
    if (protection) properties.DataProtectionPolicy = protection;
    template.Resources[logGroupLogicalId(fn.key)] = { Type: "AWS::Logs::LogGroup", Properties: properties };
  }

  if (model.functions.length === 0) return;
  const iamRole = asObject(asObject(provider.iam)?.role) ?? {};
  if (isExistingRole(asObject(provider.iam)?.role) || "role" in provider) return;
  if (model.functions.every((fn) => "role" in fn.config)) return;

  const properties: JsonObject = {
    AssumeRolePolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:AssumeRole"] },
      ],
    },
    Policies: [
      {
        PolicyName: { "Fn::Join": ["-", [model.service, model.stage, "lambda"]] },
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
              Resource: [],
            },
            { Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [] },
          ],
        },
      },
    ],
    Path: (iamRole.path as Json) ?? "/",
    RoleName: (iamRole.name as Json) ?? {
      "Fn::Join": ["-", [model.service, model.stage, { Ref: "AWS::Region" }, "lambdaRole"]],
    },
  };
  const tags = asObject(iamRole.tags);
  if (tags) properties.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const boundary =
    iamRole.permissionsBoundary ?? iamRole.permissionBoundary ?? provider.rolePermissionsBoundary;
  if (boundary) properties.PermissionsBoundary = boundary;

  const statements = ((properties.Policies as JsonObject[])[0]!.PolicyDocument as JsonObject)
    .Statement as JsonObject[];
  const [createStatement, putStatement] = statements as [JsonObject, JsonObject];
  const prefix = `${model.service}-${model.stage}`;
  let canonical = false;
  const disabledCanonical: string[] = [];
  for (const fn of model.functions) {
    const disabled = Boolean(fn.config.disableLogs);
    if (fn.name.startsWith(prefix)) {
      if (disabled) disabledCanonical.push(fn.name);
      else canonical = true;
      continue;
    }
    if (!disabled) {
      (createStatement.Resource as Json[]).push(logGroupArn(`/aws/lambda/${fn.name}`, ":*"));
      (putStatement.Resource as Json[]).push(logGroupArn(`/aws/lambda/${fn.name}`, ":*:*"));
    }
  }
  if (canonical) {
    (createStatement.Resource as Json[]).push(logGroupArn(`/aws/lambda/${prefix}`, "*:*"));
    (putStatement.Resource as Json[]).push(logGroupArn(`/aws/lambda/${prefix}`, "*:*:*"));
    if (disabledCanonical.length > 0)
      statements.push({
        Effect: "Deny",
        Action: "logs:PutLogEvents",
        Resource: disabledCanonical.map((name) => logGroupArn(`/aws/lambda/${name}`, ":*")),
      });
  }
  const userStatements = iamRole.statements ?? provider.iamRoleStatements;
  if (Array.isArray(userStatements)) statements.push(...(cloneJson(userStatements) as JsonObject[]));
  const managed = iamRole.managedPolicies ?? provider.iamManagedPolicies;
  const managedArns: Json[] = Array.isArray(managed) ? [...cloneJson(managed)] : [];
  if (provider.vpc || model.functions.some((fn) => "vpc" in fn.config))
    managedArns.push({
      "Fn::Join": [
        "",
        ["arn:", { Ref: "AWS::Partition" }, ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
      ],
    });
  if (managedArns.length > 0) properties.ManagedPolicyArns = managedArns;

  template.Resources[LAMBDA_EXECUTION_ROLE_LOGICAL_ID] = { Type: "AWS::IAM::Role", Properties: properties };
}

/** Keys sorted at every depth, so the version hash does not depend on how the YAML was written. */
function deepSort(value: Json): Json {
  if (Array.isArray(value)) return value.map(deepSort);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = deepSort(value[key] as Json);
  return out;
}

export function addFunctions(
  template: Template,
  model: ServiceModel,
  artifactDirectoryName: string,
  hashes: ArtifactHashes,
): void {
  const { provider } = model;
  const plan = artifactPlan(model);
  const versionAll = provider.versionFunctions ?? true;
  for (const fn of model.functions) {
    const c = fn.config;
    const logicalId = lambdaLogicalId(fn.key);
    const artifact = plan.artifactName(fn);
    const properties: JsonObject = {
      Code: { S3Bucket: deploymentBucketRef(provider), S3Key: `${artifactDirectoryName}/${artifact}` },
      Handler: c.handler ?? null,
      Runtime: c.runtime ?? provider.runtime ?? DEFAULT_RUNTIME,
      FunctionName: fn.name,
      MemorySize: c.memorySize || provider.memorySize || 1024,
      Timeout: c.timeout || provider.timeout || 6,
    };
    const resource: Resource = { Type: "AWS::Lambda::Function", Properties: properties };
    const architecture = c.architecture ?? provider.architecture;
    if (architecture) properties.Architectures = [architecture];
    if (c.description) properties.Description = c.description;
    if (c.condition) resource.Condition = c.condition;
    let dependsOn: Json[] | undefined = c.dependsOn
      ? ([] as Json[]).concat(cloneJson(c.dependsOn))
      : undefined;
    if (c.tags || provider.tags)
      properties.Tags = Object.entries({ ...asObject(provider.tags), ...asObject(c.tags) }).map(
        ([Key, Value]) => ({ Key, Value }),
      );
    if (c.ephemeralStorageSize) properties.EphemeralStorage = { Size: c.ephemeralStorageSize };
    const kmsKeyArn = c.kmsKeyArn ?? provider.kmsKeyArn;
    if (kmsKeyArn) properties.KmsKeyArn = kmsKeyArn;
    const tracing = c.tracing ?? asObject(provider.tracing)?.lambda;
    if (tracing) properties.TracingConfig = { Mode: tracing === true ? "Active" : tracing };
    if (c.environment || provider.environment)
      properties.Environment = {
        Variables: { ...asObject(provider.environment), ...asObject(c.environment) },
      };

    const role =
      c.role ?? (isExistingRole(asObject(provider.iam)?.role) ? asObject(provider.iam)?.role : provider.role);
    if (role === undefined || role === LAMBDA_EXECUTION_ROLE_LOGICAL_ID) {
      properties.Role = getAtt(LAMBDA_EXECUTION_ROLE_LOGICAL_ID, "Arn");
    } else if (typeof role === "string") {
      if (role.startsWith("arn:")) properties.Role = role;
      else {
        properties.Role = getAtt(role, "Arn");
        dependsOn = [...(dependsOn ?? []), role];
      }
    } else if (isObject(role) && Array.isArray(role["Fn::GetAtt"])) {
      properties.Role = role;
      dependsOn = [...(dependsOn ?? []), (role["Fn::GetAtt"] as Json[])[0] as Json];
    } else {
      properties.Role = role ?? null;
    }

    const vpc = c.vpc === undefined ? asObject(provider.vpc) : asObject(c.vpc);
    if (c.vpc !== null && c.vpc !== false && vpc) {
      const SecurityGroupIds = asObject(c.vpc)?.securityGroupIds ?? asObject(provider.vpc)?.securityGroupIds;
      const SubnetIds = asObject(c.vpc)?.subnetIds ?? asObject(provider.vpc)?.subnetIds;
      if (SecurityGroupIds && SubnetIds) properties.VpcConfig = { SecurityGroupIds, SubnetIds };
    }
    if (c.reservedConcurrency || c.reservedConcurrency === 0)
      properties.ReservedConcurrentExecutions = c.reservedConcurrency;
    if (!c.disableLogs) dependsOn = [logGroupLogicalId(fn.key), ...(dependsOn ?? [])];
    if (dependsOn) resource.DependsOn = dependsOn;
    const layers = c.layers ?? provider.layers;
    if (layers) properties.Layers = cloneJson(layers);
    template.Resources[logicalId] = resource;
  }

  // Serverless hashes artifacts asynchronously, so every function lands before any version or alias.
  for (const fn of model.functions) {
    const c = fn.config;
    const logicalId = lambdaLogicalId(fn.key);
    const artifact = plan.artifactName(fn);
    const properties = template.Resources[logicalId]?.Properties as JsonObject;
    const shouldVersion = (c.versionFunction ?? versionAll) !== false;
    if (!shouldVersion && !c.provisionedConcurrency && !c.snapStart) continue;

    const codeSha256 = hashes(artifact);
    const hashed = cloneJson(properties);
    delete hashed.Code;
    delete hashed.ReservedConcurrentExecutions;
    delete hashed.Tags;
    hashed.layerConfigurations = [];
    const versionHash = createHash("sha256")
      .update(codeSha256)
      .update(JSON.stringify(deepSort(hashed)))
      .digest("base64");
    const versionId = lambdaVersionLogicalId(fn.key, versionHash);
    const version: Resource = {
      Type: "AWS::Lambda::Version",
      DeletionPolicy: "Retain",
      Properties: { FunctionName: ref(logicalId), CodeSha256: codeSha256 },
    };
    if (c.description) (version.Properties as JsonObject).Description = c.description;
    if (!shouldVersion) delete version.DeletionPolicy;
    template.Resources[versionId] = version;
    template.Outputs[qualifiedArnOutputLogicalId(fn.key)] = {
      Description: "Current Lambda function version",
      Value: ref(versionId),
    };

    if (c.snapStart) properties.SnapStart = { ApplyOn: "PublishedVersions" };
    if (fn.targetAlias) {
      const aliasProperties: JsonObject = {
        FunctionName: ref(logicalId),
        FunctionVersion: getAtt(versionId, "Version"),
        Name: fn.targetAlias.name,
      };
      if (c.provisionedConcurrency)
        aliasProperties.ProvisionedConcurrencyConfig = {
          ProvisionedConcurrentExecutions: c.provisionedConcurrency,
        };
      template.Resources[fn.targetAlias.logicalId] = {
        Type: "AWS::Lambda::Alias",
        Properties: aliasProperties,
        DependsOn: logicalId,
      };
    }
  }
}

/** Serverless gives every output without one an export name `sls-<service>-<stage>-<key>`. */
export function addExportNames(template: Template, model: ServiceModel): void {
  for (const [key, output] of Object.entries(template.Outputs))
    if (isObject(output) && !output.Export)
      output.Export = { Name: `sls-${model.service}-${model.stage}-${key}` };
}
