// AWS::S3::Bucket and BucketPolicy (the deployment bucket): recorded, since local functions run from the service directory.
import type { ResourceContext, ResourceHandler, ResourceHandlers, ResourceResult } from "../types.js";
import { generatedName, optionalString, partitionOf, warnOnce } from "./physical-names.js";

const RECORDED =
  "S3 buckets (the deployment bucket) are recorded only: the local deploy runs handlers from the service directory";

function bucketResult(ctx: ResourceContext, name: string): ResourceResult {
  const suffix = ctx.region === "us-east-1" ? "s3.amazonaws.com" : `s3.${ctx.region}.amazonaws.com`;
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:${partitionOf(ctx.region)}:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.${suffix}`,
      DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
    },
  };
}

export const bucketHandler: ResourceHandler = {
  async create(properties, ctx) {
    warnOnce(ctx, "s3", RECORDED);
    // Bucket names are lowercase; CloudFormation lowercases the generated one too.
    const name = optionalString(properties, "BucketName", ctx) ?? generatedName(ctx, 63).toLowerCase();
    return bucketResult(ctx, name);
  },
  async update(physicalId, properties, _previous, ctx) {
    return bucketResult(ctx, optionalString(properties, "BucketName", ctx) ?? physicalId);
  },
  async delete() {},
};

export const bucketPolicyHandler: ResourceHandler = {
  async create(_properties, ctx) {
    warnOnce(ctx, "s3", RECORDED);
    return { physicalId: generatedName(ctx), attributes: {} };
  },
  async update(physicalId) {
    return { physicalId, attributes: {} };
  },
  async delete() {},
};

export const s3Handlers: ResourceHandlers = {
  "AWS::S3::Bucket": bucketHandler,
  "AWS::S3::BucketPolicy": bucketPolicyHandler,
};
