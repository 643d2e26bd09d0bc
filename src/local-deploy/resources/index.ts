// Every resource type the local deploy knows, by CloudFormation type; other types are reported and skipped.
import type { ResourceHandlers } from "../types.js";
import { cognitoHandlers } from "./cognito.js";
import { customCognitoUserPoolHandlers } from "./custom-cognito-user-pool.js";
import { dynamodbHandlers } from "./dynamodb.js";
import { runtimeHandlers } from "./runtime-resources.js";

export const RESOURCE_HANDLERS: ResourceHandlers = {
  ...cognitoHandlers,
  ...customCognitoUserPoolHandlers,
  ...dynamodbHandlers,
  ...runtimeHandlers,
};
