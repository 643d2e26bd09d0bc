// Validates one `cognitoUserPool` event: Serverless's schema, made strict where Serverless only warns.
import {
  isCustomSender,
  isTriggerName,
  LAMBDA_VERSIONS,
  SERVERLESS_TRIGGERS,
  type TriggerName,
} from "../triggers/catalog.js";
import type { ConfigPath, ProblemList } from "./errors.js";
import { isObject } from "./json.js";
import type { CognitoEvent } from "./model.js";
import type { Json } from "./service-model.js";

export const SCHEMA_ERROR = "INVALID_NON_SCHEMA_COMPLIANT_CONFIGURATION";
export const POOL_NAME_PATTERN = /^[A-Za-z0-9_\s+=,.@-]+$/;
export const POOL_NAME_MAX_LENGTH = 128;
const KMS_ARN_PATTERN = /^arn:aws[a-z-]*:kms/;
const KMS_INTRINSICS = [
  "Ref",
  "Fn::ImportValue",
  "Fn::Join",
  "Fn::GetAtt",
  "Fn::Sub",
  "Fn::Base64",
  "Fn::ToJsonString",
];
const EVENT_KEYS = ["pool", "trigger", "existing", "forceDeploy", "kmsKeyId", "lambdaVersion"];

/** ajv's `coerceTypes` for strings, as Serverless applies it before compiling (`pool: 12345`). */
function coerceString(value: Json | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** ajv's boolean coercion: "true"/"false", 1/0 and null are accepted as booleans. */
function coerceBoolean(value: Json | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === 1) return true;
  if (value === "false" || value === 0 || value === null) return false;
  return undefined;
}

function isKmsKeyId(value: Json): boolean {
  if (typeof value === "string") return KMS_ARN_PATTERN.test(value);
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !KMS_INTRINSICS.includes(key)) return false;
  if (key === "Fn::GetAtt") {
    const args = value[key];
    return (
      Array.isArray(args) && args.length === 2 && args.every((a) => typeof a === "string" && a.length > 0)
    );
  }
  return true;
}

export function readCognitoEvent(
  functionKey: string,
  node: Json | undefined,
  path: ConfigPath,
  problems: ProblemList,
  warnings: ProblemList,
): CognitoEvent | undefined {
  if (!isObject(node)) {
    problems.add(SCHEMA_ERROR, "must be object", path);
    return undefined;
  }
  let valid = true;
  const fail = (code: string, message: string, key: string) => {
    problems.add(code, message, [...path, key]);
    valid = false;
  };

  for (const key of Object.keys(node)) {
    if (!EVENT_KEYS.includes(key)) fail(SCHEMA_ERROR, `unrecognized property '${key}'`, key);
  }

  const pool = coerceString(node.pool);
  if (node.pool === undefined) fail(SCHEMA_ERROR, "must have required property 'pool'", "pool");
  else if (pool === undefined) fail(SCHEMA_ERROR, "must be string", "pool");
  else if (pool.length > POOL_NAME_MAX_LENGTH)
    fail("INVALID_POOL_NAME", `must NOT have more than ${POOL_NAME_MAX_LENGTH} characters`, "pool");
  else if (!POOL_NAME_PATTERN.test(pool))
    fail(
      "INVALID_POOL_NAME",
      `must match pattern "^[\\w\\s+=,.@-]+$" (a Cognito pool name: letters, digits, spaces and _+=,.@-)`,
      "pool",
    );

  const trigger = node.trigger;
  if (trigger === undefined) fail(SCHEMA_ERROR, "must have required property 'trigger'", "trigger");
  else if (!isTriggerName(trigger))
    fail(
      "INVALID_TRIGGER",
      `must be equal to one of the allowed values [${SERVERLESS_TRIGGERS.join(", ")}]${suggest(trigger)}`,
      "trigger",
    );

  const existing = node.existing === undefined ? false : coerceBoolean(node.existing);
  if (existing === undefined) fail(SCHEMA_ERROR, "must be boolean", "existing");
  const forceDeploy = node.forceDeploy === undefined ? false : coerceBoolean(node.forceDeploy);
  if (forceDeploy === undefined) fail(SCHEMA_ERROR, "must be boolean", "forceDeploy");

  const kmsKeyId = node.kmsKeyId;
  if (kmsKeyId !== undefined && !isKmsKeyId(kmsKeyId))
    fail(
      "INVALID_KMS_KEY_ID",
      `must be a KMS key ARN (arn:aws:kms:...) or one of ${KMS_INTRINSICS.join(", ")}; Cognito accepts no alias or key id here`,
      "kmsKeyId",
    );

  let lambdaVersion: string | undefined;
  if (node.lambdaVersion !== undefined) {
    if (typeof node.lambdaVersion !== "string") fail(SCHEMA_ERROR, "must be string", "lambdaVersion");
    else {
      lambdaVersion = node.lambdaVersion;
      if (isTriggerName(trigger)) {
        const allowed = LAMBDA_VERSIONS[trigger as TriggerName];
        if (!allowed)
          fail(
            "INVALID_LAMBDA_VERSION",
            `is not supported for trigger ${trigger} (it takes no version)`,
            "lambdaVersion",
          );
        else if (!allowed.includes(lambdaVersion))
          fail(
            "INVALID_LAMBDA_VERSION",
            `must be one of [${allowed.join(", ")}] for trigger ${trigger}`,
            "lambdaVersion",
          );
      }
    }
  }

  if (!valid || pool === undefined || !isTriggerName(trigger)) return undefined;

  if (kmsKeyId !== undefined && !isCustomSender(trigger))
    warnings.add(
      "KMS_KEY_IGNORED",
      `kmsKeyId is only used by CustomSMSSender and CustomEmailSender; ignored for ${trigger}`,
      [...path, "kmsKeyId"],
    );
  if (forceDeploy && !existing)
    warnings.add(
      "FORCE_DEPLOY_IGNORED",
      "forceDeploy only applies to existing pools (existing: true); ignored",
      [...path, "forceDeploy"],
    );

  return {
    functionKey,
    path,
    pool,
    trigger,
    existing: existing === true,
    forceDeploy: forceDeploy === true,
    kmsKeyId,
    lambdaVersion,
  };
}

/** A case-insensitive match is almost always a typo such as `PreSignup`. */
function suggest(value: Json): string {
  if (typeof value !== "string") return "";
  const match = SERVERLESS_TRIGGERS.find((t) => t.toLowerCase() === value.toLowerCase());
  return match ? `; did you mean "${match}"?` : "";
}
