// The Lambda, IAM, Logs, KMS and S3 resource handlers together, for RESOURCE_HANDLERS.
import type { ResourceHandlers } from "../types.js";
import { iamHandlers } from "./iam.js";
import { kmsHandlers } from "./kms.js";
import { lambdaHandlers } from "./lambda.js";
import { logsHandlers } from "./logs.js";
import { s3Handlers } from "./s3.js";

export const runtimeHandlers: ResourceHandlers = {
  ...lambdaHandlers,
  ...iamHandlers,
  ...logsHandlers,
  ...kmsHandlers,
  ...s3Handlers,
};
