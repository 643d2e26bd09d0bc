// AWS::Logs::LogGroup: Ref and Arn as CloudFormation gives them; the group's events survive updates and deletes.
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../edge/create-server.js";
import type { ResourceContext } from "../types.js";
import { logGroupHandler } from "./logs.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", memory: true });
});
afterAll(async () => {
  await server.close();
});

const context = (logicalId: string): ResourceContext => ({
  server,
  stackName: "svc-dev",
  region: "us-east-1",
  accountId: "000000000000",
  logicalId,
  serviceDir: "/nowhere",
  warn: () => {},
});

describe("AWS::Logs::LogGroup", () => {
  it("Ref is the group name and Arn its ARN; the group shows once its function logs, and delete keeps it", async () => {
    const properties = { LogGroupName: "/aws/lambda/svc-dev-fn", RetentionInDays: 14 };
    const group = await logGroupHandler.create(properties, context("FnLogGroup"));
    expect(group).toEqual({
      physicalId: "/aws/lambda/svc-dev-fn",
      attributes: { Arn: "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/svc-dev-fn:*" },
    });
    expect(
      await logGroupHandler.update(
        group.physicalId,
        { ...properties, RetentionInDays: 1 },
        properties,
        context("FnLogGroup"),
      ),
    ).toEqual(group);

    await server.deps.lambda.logs.append("/aws/lambda/svc-dev-fn", "2026/01/15/[$LATEST]abc", [
      { timestamp: 1, message: "hello\n" },
    ]);
    await logGroupHandler.delete(group.physicalId, properties, context("FnLogGroup"));
    const logs = new CloudWatchLogsClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      const out = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/svc-dev-fn" }),
      );
      expect(out.logGroups?.map((g) => g.logGroupName)).toEqual(["/aws/lambda/svc-dev-fn"]);
    } finally {
      logs.destroy();
    }
  });

  it("a group without LogGroupName gets a generated one", async () => {
    const { physicalId } = await logGroupHandler.create({}, context("Other"));
    expect(physicalId).toMatch(/^svc-dev-Other-[A-Z0-9]{13}$/);
  });
});
