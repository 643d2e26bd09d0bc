// The CloudFormation template being built, and helpers that keep Serverless's key order.
import type { Json, JsonObject } from "./service-model.js";

export interface Resource extends JsonObject {
  Type: string;
}

export interface Template extends JsonObject {
  AWSTemplateFormatVersion: string;
  Description: string;
  Resources: { [logicalId: string]: Resource };
  Outputs: JsonObject;
}

export const getAtt = (logicalId: string, attribute: string): JsonObject => ({
  "Fn::GetAtt": [logicalId, attribute],
});

export const ref = (logicalId: string): JsonObject => ({ Ref: logicalId });

export type Statement = JsonObject & { Effect: string; Action: Json; Resource: Json };

/** A log group ARN as Serverless writes it in IAM statements (`Fn::Sub` with the pseudo parameters). */
export const logGroupArn = (logGroupName: string, suffix: string): JsonObject => ({
  "Fn::Sub": `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName}${suffix}`,
});
