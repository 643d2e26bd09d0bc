// Logical ids and deployed names, exactly as Serverless v3's naming helpers derive them.
import { createHash } from "node:crypto";

/** Upper-cases the first character only (lodash upperFirst). */
export function normalizeName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Drops every character outside [0-9A-Za-z], then upper-cases the first. */
export function normalizeNameToAlphaNumericOnly(name: string): string {
  return normalizeName(name.replace(/[^0-9A-Za-z]/g, ""));
}

/** `-` becomes `Dash`, `_` becomes `Underscore`: function ids never collide the way pool ids can. */
export function normalizedFunctionName(functionKey: string): string {
  return normalizeName(functionKey.replace(/-/g, "Dash").replace(/_/g, "Underscore"));
}

export const lambdaLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}LambdaFunction`;

export const logGroupLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}LogGroup`;

export const userPoolLogicalId = (poolName: string): string =>
  `CognitoUserPool${normalizeNameToAlphaNumericOnly(poolName)}`;

export const lambdaPermissionLogicalId = (functionKey: string, poolName: string, trigger: string): string =>
  `${normalizedFunctionName(functionKey)}LambdaPermissionCognitoUserPool${normalizeNameToAlphaNumericOnly(
    poolName,
  )}TriggerSource${normalizeNameToAlphaNumericOnly(trigger)}`;

/** The trailing `1` is a fixed legacy suffix in Serverless. */
export const customCognitoUserPoolLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}CustomCognitoUserPool1`;

export const provisionedConcurrencyAliasLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}ProvConcLambdaAlias`;

export const snapStartAliasLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}SnapStartLambdaAlias`;

export const lambdaVersionLogicalId = (functionKey: string, hash: string): string =>
  `${normalizedFunctionName(functionKey)}LambdaVersion${hash.replace(/[^0-9A-Za-z]/g, "")}`;

export const qualifiedArnOutputLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}LambdaFunctionQualifiedArn`;

export const CUSTOM_RESOURCE_FUNCTION_KEY = "custom-resource-existing-cup";
export const CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID = lambdaLogicalId(CUSTOM_RESOURCE_FUNCTION_KEY);
export const CUSTOM_RESOURCE_LOG_GROUP_LOGICAL_ID = logGroupLogicalId(CUSTOM_RESOURCE_FUNCTION_KEY);
export const CUSTOM_RESOURCE_ROLE_LOGICAL_ID = "IamRoleCustomResourcesLambdaExecution";
export const LAMBDA_EXECUTION_ROLE_LOGICAL_ID = "IamRoleLambdaExecution";
export const DEPLOYMENT_BUCKET_LOGICAL_ID = "ServerlessDeploymentBucket";

/** `<service>-<stage>-<key>`: what Serverless names a function that has no `name:`. */
export function defaultFunctionName(service: string, stage: string, functionKey: string): string {
  return `${service}-${stage}-${functionKey}`;
}

/**
 * Lambda names are limited to 64 characters; Serverless keeps the first 32 and appends the MD5 of
 * the whole name so that long names stay unique.
 */
export function customResourceFunctionName(service: string, stage: string): string {
  const name = `${service}-${stage}-${CUSTOM_RESOURCE_FUNCTION_KEY}`;
  if (name.length <= 64) return name;
  return `${name.slice(0, 32)}${createHash("md5").update(name).digest("hex")}`;
}
