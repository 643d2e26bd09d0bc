// AWS::IAM::* and AWS::S3::* are recorded: names and ARNs for references, one warning each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceContext } from "../../../test/helpers/resource-context.js";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import type { ResourceContext } from "../types.js";
import { managedPolicyHandler, policyHandler, roleHandler } from "./iam.js";
import { bucketHandler, bucketPolicyHandler } from "./s3.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", memory: true });
});
afterAll(async () => {
  await server.close();
});

function context(logicalId: string, warnings: string[]): ResourceContext {
  return resourceContext(server, logicalId, { warnings, region: "eu-west-1" });
}

describe("AWS::IAM", () => {
  it("a role: Ref is its name (given or generated), Arn and RoleId stable across updates", async () => {
    const warnings: string[] = [];
    const named = await roleHandler.create(
      { RoleName: "svc-dev-lambdaRole", AssumeRolePolicyDocument: {} },
      context("IamRoleLambdaExecution", warnings),
    );
    expect(named.physicalId).toBe("svc-dev-lambdaRole");
    expect(named.attributes.Arn).toBe("arn:aws:iam::000000000000:role/svc-dev-lambdaRole");
    expect(named.attributes.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const updated = await roleHandler.update(
      named.physicalId,
      { RoleName: "svc-dev-lambdaRole", Policies: [] },
      { RoleName: "svc-dev-lambdaRole" },
      context("IamRoleLambdaExecution", warnings),
    );
    expect(updated).toEqual(named);

    const generated = await roleHandler.create({ Path: "/service/" }, context("OtherRole", warnings));
    expect(generated.physicalId).toMatch(/^svc-dev-OtherRole-[A-Z0-9]{13}$/);
    expect(generated.attributes.Arn).toBe(`arn:aws:iam::000000000000:role/service/${generated.physicalId}`);
    await policyHandler.create({ PolicyName: "p" }, context("Policy", warnings));
    const managed = await managedPolicyHandler.create(
      { ManagedPolicyName: "mp" },
      context("Managed", warnings),
    );
    expect(managed.physicalId).toBe("arn:aws:iam::000000000000:policy/mp");
    // One line for the whole of IAM.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not enforced/);
  });
});

describe("AWS::S3", () => {
  it("the deployment bucket is recorded: Ref is its name, with the ARN and domain names", async () => {
    const warnings: string[] = [];
    const bucket = await bucketHandler.create({}, context("ServerlessDeploymentBucket", warnings));
    expect(bucket.physicalId).toMatch(/^svc-dev-serverlessdeploymentbucket-[a-z0-9]{13}$/);
    expect(bucket.attributes).toMatchObject({
      Arn: `arn:aws:s3:::${bucket.physicalId}`,
      RegionalDomainName: `${bucket.physicalId}.s3.eu-west-1.amazonaws.com`,
    });
    await bucketPolicyHandler.create(
      { Bucket: bucket.physicalId },
      context("ServerlessDeploymentBucketPolicy", warnings),
    );
    expect(warnings).toHaveLength(1);
  });
});
