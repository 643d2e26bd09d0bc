// Reads the resource properties; CloudFormation hands every scalar over as a string, local deploys may not.

export interface TriggerConfig {
  Trigger: string;
  LambdaVersion?: string;
  KMSKeyID?: string;
}

export interface PoolTarget {
  functionName: string;
  userPoolName: string;
}

export interface ResourceProperties extends PoolTarget {
  userPoolConfigs: TriggerConfig[];
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function requiredString(props: Record<string, unknown>, key: string): string {
  const value = scalar(props[key]);
  if (value === undefined || value === "") {
    throw new Error(`Resource property ${key} must be a non-empty string.`);
  }
  return value;
}

export function parseTarget(props: Record<string, unknown> | undefined): PoolTarget {
  const p = props ?? {};
  return { functionName: requiredString(p, "FunctionName"), userPoolName: requiredString(p, "UserPoolName") };
}

/** Like parseTarget, but undefined instead of an error: a Delete or a cleanup has nothing to undo then. */
export function tryParseTarget(props: Record<string, unknown> | undefined): PoolTarget | undefined {
  try {
    return parseTarget(props);
  } catch {
    return undefined;
  }
}

function parseTriggerConfig(entry: unknown, index: number): TriggerConfig {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new Error(`UserPoolConfigs[${index}] must be an object with a Trigger.`);
  }
  const record = entry as Record<string, unknown>;
  const trigger = scalar(record.Trigger);
  if (!trigger) throw new Error(`UserPoolConfigs[${index}].Trigger must be a non-empty string.`);
  const config: TriggerConfig = { Trigger: trigger };
  const version = scalar(record.LambdaVersion);
  if (version !== undefined) config.LambdaVersion = version;
  const kmsKeyId = scalar(record.KMSKeyID);
  if (kmsKeyId !== undefined) config.KMSKeyID = kmsKeyId;
  return config;
}

export function parseProperties(props: Record<string, unknown> | undefined): ResourceProperties {
  const target = parseTarget(props);
  const configs = props?.UserPoolConfigs ?? [];
  if (!Array.isArray(configs)) throw new Error("Resource property UserPoolConfigs must be a list.");
  return { ...target, userPoolConfigs: configs.map(parseTriggerConfig) };
}
