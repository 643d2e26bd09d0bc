// Typed view of the parts of a service the compiler reads, produced by read-service.ts.
import type { ConfigPath } from "./errors.js";
import type { Json, JsonObject } from "./service-model.js";

export interface CognitoEvent {
  functionKey: string;
  /** Path of the `cognitoUserPool` node, for problems. */
  path: ConfigPath;
  pool: string;
  trigger: string;
  existing: boolean;
  forceDeploy: boolean;
  kmsKeyId: Json | undefined;
  lambdaVersion: string | undefined;
}

export interface FunctionModel {
  key: string;
  path: ConfigPath;
  /** Deployed name: `name:` or `<service>-<stage>-<key>`. */
  name: string;
  config: JsonObject;
  /** Logical id of the alias Cognito must invoke (provisioned concurrency / SnapStart), if any. */
  targetAlias: { logicalId: string; name: string } | undefined;
}

export interface ServiceModel {
  service: string;
  stage: string;
  region: string;
  provider: JsonObject;
  functions: FunctionModel[];
  cognitoEvents: CognitoEvent[];
  /** Event types other than cognitoUserPool, by function, for the "not supported" warning. */
  otherEvents: { functionKey: string; type: string; path: ConfigPath }[];
  resources: JsonObject | undefined;
  /** Service-level `package:` settings (individually, patterns). */
  package: JsonObject | undefined;
}
