// The handler function and IAM role behind Custom::CognitoUserPool, shared by all existing-pool resources.
import { deploymentBucketRef } from "./core-template.js";
import { asObject } from "./json.js";
import type { ServiceModel } from "./model.js";
import {
  CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID,
  CUSTOM_RESOURCE_LOG_GROUP_LOGICAL_ID,
  CUSTOM_RESOURCE_ROLE_LOGICAL_ID,
  customResourceFunctionName,
} from "./naming.js";
import type { Json, JsonObject } from "./service-model.js";
import { getAtt, logGroupArn, type Resource, type Statement } from "./template.js";

export const CUSTOM_RESOURCES_ARTIFACT = "custom-resources.zip";
export const CUSTOM_RESOURCE_HANDLER = "cognito-user-pool/handler.handler";
/** Serverless 3.40 pins nodejs18.x, which Lambda no longer accepts for new functions. */
export const CUSTOM_RESOURCE_RUNTIME = "nodejs24.x";

export function customDeploymentRole(provider: JsonObject): Json | undefined {
  return asObject(provider.iam)?.deploymentRole ?? provider.cfnRole;
}

export function addCustomResourceInfrastructure(
  resources: Record<string, Resource>,
  model: ServiceModel,
  statements: readonly Statement[],
  artifactDirectoryName: string,
): void {
  const { provider } = model;
  const writeLogs = Boolean(asObject(provider.logs)?.frameworkLambda);
  const functionName = customResourceFunctionName(model.service, model.stage);
  const deploymentRole = customDeploymentRole(provider);

  if (deploymentRole === undefined) {
    let role = resources[CUSTOM_RESOURCE_ROLE_LOGICAL_ID];
    if (!role) {
      const initial: JsonObject[] = [];
      if (writeLogs) {
        const prefix = `/aws/lambda/${model.service}-${model.stage}`;
        initial.push(
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
            Resource: [logGroupArn(prefix, "*:*")],
          },
          { Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [logGroupArn(prefix, "*:*:*")] },
        );
      }
      role = {
        Type: "AWS::IAM::Role",
        Properties: {
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: ["lambda.amazonaws.com"] },
                Action: ["sts:AssumeRole"],
              },
            ],
          },
          Policies: [
            {
              PolicyName: { "Fn::Join": ["-", [model.stage, model.service, "custom-resources-lambda"]] },
              PolicyDocument: { Version: "2012-10-17", Statement: initial },
            },
          ],
        },
      };
      resources[CUSTOM_RESOURCE_ROLE_LOGICAL_ID] = role;
    }
    const policies = (role.Properties as JsonObject).Policies as JsonObject[];
    const existing = (policies[0]!.PolicyDocument as JsonObject).Statement as JsonObject[];
    // Serverless compares Resource by identity: equal strings merge, equal intrinsic objects do not.
    for (const statement of statements)
      if (!existing.some((s) => s.Resource === statement.Resource)) existing.push(statement);
  }

  const fn: Resource = {
    Type: "AWS::Lambda::Function",
    Properties: {
      Code: {
        S3Bucket: deploymentBucketRef(provider),
        S3Key: `${artifactDirectoryName}/${CUSTOM_RESOURCES_ARTIFACT}`,
      },
      FunctionName: functionName,
      Handler: CUSTOM_RESOURCE_HANDLER,
      MemorySize: 1024,
      Runtime: CUSTOM_RESOURCE_RUNTIME,
      Timeout: 180,
      Role: deploymentRole ?? getAtt(CUSTOM_RESOURCE_ROLE_LOGICAL_ID, "Arn"),
    },
    DependsOn: deploymentRole === undefined ? [CUSTOM_RESOURCE_ROLE_LOGICAL_ID] : [],
  };
  resources[CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID] = fn;

  if (writeLogs) {
    (fn.DependsOn as Json[]).push(CUSTOM_RESOURCE_LOG_GROUP_LOGICAL_ID);
    const properties: JsonObject = { LogGroupName: `/aws/lambda/${functionName}` };
    if (provider.logRetentionInDays !== undefined) properties.RetentionInDays = provider.logRetentionInDays;
    if (provider.logDataProtectionPolicy !== undefined)
      properties.DataProtectionPolicy = provider.logDataProtectionPolicy;
    resources[CUSTOM_RESOURCE_LOG_GROUP_LOGICAL_ID] = { Type: "AWS::Logs::LogGroup", Properties: properties };
  }
}
