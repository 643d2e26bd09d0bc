// CloudWatch Logs on the edge: `Logs_20140328.*` calls in AWS JSON 1.1, answered by handleLogsAction.
import { AwsError } from "../shared/aws-error.js";
import type { JsonService } from "../shared/json-service.js";
import { handleLogsAction, LOGS_TARGET_PREFIX, type LogsApiDeps } from "./api.js";

export function logsService(deps: LogsApiDeps): JsonService {
  return {
    targetPrefix: LOGS_TARGET_PREFIX,
    contentType: "application/x-amz-json-1.1",
    call: (operation, input) => handleLogsAction(operation, input, deps),
    internalError: () =>
      new AwsError("ServiceUnavailableException", "The service cannot complete the request.", 500),
  };
}
