// The skeleton every Serverless v3 template starts from: deployment bucket, its TLS-only policy, outputs.

import { asObject, asString } from "./json.js";
import { DEPLOYMENT_BUCKET_LOGICAL_ID } from "./naming.js";
import type { JsonObject } from "./service-model.js";
import type { Template } from "./template.js";
import { ref } from "./template.js";

const bucketArn = (suffix: string[]): JsonObject => ({
  "Fn::Join": ["", ["arn:", ref("AWS::Partition"), ":s3:::", ref(DEPLOYMENT_BUCKET_LOGICAL_ID), ...suffix]],
});

/** The named bucket from `provider.deploymentBucket` (string or `{name}`), if the service brings one. */
export function namedDeploymentBucket(provider: JsonObject): string | undefined {
  const bucket = provider.deploymentBucket;
  return asString(bucket) ?? asString(asObject(bucket)?.name);
}

export function coreTemplate(provider: JsonObject): Template {
  const template: Template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "The AWS CloudFormation template for this Serverless application",
    Resources: {
      ServerlessDeploymentBucket: {
        Type: "AWS::S3::Bucket",
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
            ],
          },
        },
      },
      ServerlessDeploymentBucketPolicy: {
        Type: "AWS::S3::BucketPolicy",
        Properties: {
          Bucket: ref(DEPLOYMENT_BUCKET_LOGICAL_ID),
          PolicyDocument: {
            Statement: [
              {
                Action: "s3:*",
                Effect: "Deny",
                Principal: "*",
                Resource: [bucketArn(["/*"]), bucketArn([])],
                Condition: { Bool: { "aws:SecureTransport": false } },
              },
            ],
          },
        },
      },
    },
    Outputs: { ServerlessDeploymentBucketName: { Value: ref(DEPLOYMENT_BUCKET_LOGICAL_ID) } },
  };

  const named = namedDeploymentBucket(provider);
  if (named !== undefined) {
    delete template.Resources.ServerlessDeploymentBucket;
    delete template.Resources.ServerlessDeploymentBucketPolicy;
    template.Outputs.ServerlessDeploymentBucketName = { Value: named };
    return template;
  }

  const options = asObject(provider.deploymentBucket);
  const bucketProps = template.Resources.ServerlessDeploymentBucket?.Properties as JsonObject;
  if (options) {
    const tags = asObject(options.tags);
    if (tags && Object.keys(tags).length > 0)
      bucketProps.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (options.blockPublicAccess)
      bucketProps.PublicAccessBlockConfiguration = {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      };
    if (options.versioning) bucketProps.VersioningConfiguration = { Status: "Enabled" };
    if (options.skipPolicySetup) delete template.Resources.ServerlessDeploymentBucketPolicy;
  }
  return template;
}

/** `S3Bucket` of every code artifact: the named bucket, or a Ref to the generated one. */
export function deploymentBucketRef(provider: JsonObject): JsonObject | string {
  return namedDeploymentBucket(provider) ?? ref(DEPLOYMENT_BUCKET_LOGICAL_ID);
}
