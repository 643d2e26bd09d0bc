// KMS on the edge: `TrentService.*` calls in AWS JSON 1.1, answered by handleKmsAction.
import { AwsError } from "../shared/aws-error.js";
import type { JsonService } from "../shared/json-service.js";
import { handleKmsAction, KMS_TARGET_PREFIX, type KmsDeps } from "./api.js";

export function kmsService(deps: KmsDeps): JsonService {
  return {
    targetPrefix: KMS_TARGET_PREFIX,
    contentType: "application/x-amz-json-1.1",
    call: (operation, input) => handleKmsAction(operation, input, deps),
    internalError: () => new AwsError("KMSInternalException", "An internal error occurred.", 500),
  };
}
