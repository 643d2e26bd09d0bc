// What the edge hands its services: Cognito's ports plus the Lambda runtime and the embedded DynamoDB.
import type { CognitoDeps } from "../cognito/ports.js";
import type { DynamoDbEngine } from "../dynamodb/edge.js";
import type { LambdaDeps } from "../lambda/deps.js";

export interface ServerDeps extends CognitoDeps {
  lambda: LambdaDeps;
  /** The embedded DynamoDB (`DynamoDB_20120810.*` on the same port); absent: those calls are unknown. */
  dynamodb?: DynamoDbEngine | undefined;
}
