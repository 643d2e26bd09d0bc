// What Cognito invokes for a function: its ARN, or the alias that provisioned concurrency / SnapStart adds.
import type { FunctionModel } from "./model.js";
import { lambdaLogicalId } from "./naming.js";
import type { JsonObject } from "./service-model.js";
import { getAtt } from "./template.js";

export function lambdaTarget(fn: FunctionModel): JsonObject {
  const arn = getAtt(lambdaLogicalId(fn.key), "Arn");
  if (!fn.targetAlias) return arn;
  return { "Fn::Join": [":", [arn, fn.targetAlias.name]] };
}

/** The resource a pool must wait for: the alias when there is one, else the function. */
export function lambdaDependency(fn: FunctionModel): string {
  return fn.targetAlias?.logicalId ?? lambdaLogicalId(fn.key);
}
