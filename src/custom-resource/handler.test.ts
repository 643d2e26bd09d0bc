// Tests for the Lambda entry: SUCCESS/FAILED responses, the timeout guard and the default wiring.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CustomResourceEvent, LambdaContext } from "./events.js";
import { createHandler, handler, RESPONSE_RESERVE_MS } from "./handler.js";
import type { AwsPorts, CloudFormationResponseBody, UpdateUserPoolCommandInput } from "./ports.js";

const CONTEXT: LambdaContext = {
  invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-custom-resource-existing-cup",
  logStreamName: "2024/01/01/[$LATEST]0123abcd",
};

function event(RequestType: string, UserPoolName = "my-pool"): CustomResourceEvent {
  return {
    RequestType,
    ResponseURL: "https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/signed?sig=1",
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/svc-dev/guid",
    RequestId: "req-42",
    LogicalResourceId: "FnCustomCognitoUserPool1",
    ResourceType: "Custom::CognitoUserPool",
    ResourceProperties: {
      ServiceToken: CONTEXT.invokedFunctionArn,
      FunctionName: "svc-dev-fn",
      UserPoolName,
      UserPoolConfigs: [{ Trigger: "PreSignUp" }],
      ForceDeploy: "1700000000000",
    },
  };
}

function fakeAws(): AwsPorts & { updates: UpdateUserPoolCommandInput[]; regions: string[] } {
  const updates: UpdateUserPoolCommandInput[] = [];
  return {
    updates,
    regions: [],
    cognito: {
      listUserPools: async () => ({ UserPools: [{ Id: "eu-west-1_abc", Name: "my-pool" }] }),
      describeUserPool: async (id) => ({ Id: id, Name: "my-pool", LambdaConfig: {} }),
      updateUserPool: async (input) => {
        updates.push(input);
      },
    },
    lambda: { addPermission: async () => {}, removePermission: async () => {} },
  };
}

function harness(aws = fakeAws()) {
  const sent: { url: string; body: CloudFormationResponseBody }[] = [];
  const logs: string[] = [];
  const run = createHandler({
    awsPorts: (region) => {
      aws.regions.push(region);
      return aws;
    },
    sendResponse: async (url, body) => {
      sent.push({ url, body });
    },
    log: (line) => logs.push(line),
  });
  return { run, sent, logs, aws };
}

describe("createHandler", () => {
  it("sends SUCCESS with the pool in Data after attaching the trigger", async () => {
    const { run, sent, aws } = harness();
    await run(event("Create"), CONTEXT);

    expect(aws.regions).toEqual(["eu-west-1"]);
    expect(aws.updates[0]?.LambdaConfig).toEqual({
      PreSignUp: "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-fn",
    });
    expect(sent).toEqual([
      {
        url: "https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/signed?sig=1",
        body: {
          Status: "SUCCESS",
          Reason: "",
          PhysicalResourceId: "CustomResourceExistingCognitoUserPool",
          StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/svc-dev/guid",
          RequestId: "req-42",
          LogicalResourceId: "FnCustomCognitoUserPool1",
          Data: {
            UserPoolId: "eu-west-1_abc",
            UserPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc",
          },
        },
      },
    ]);
  });

  it("sends FAILED with the reason and the log stream when the pool is missing", async () => {
    const { run, sent, logs } = harness();
    await run(event("Create", "missing-pool"), CONTEXT);

    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({
      Status: "FAILED",
      Reason:
        'User pool "missing-pool" was not found in eu-west-1 (account 123456789012). ' +
        "See details in CloudWatch Log: 2024/01/01/[$LATEST]0123abcd",
      PhysicalResourceId: "CustomResourceExistingCognitoUserPool",
      StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/svc-dev/guid",
      RequestId: "req-42",
      LogicalResourceId: "FnCustomCognitoUserPool1",
      Data: {},
    });
    expect(logs.some((line) => line.startsWith("Responding FAILED"))).toBe(true);
  });

  it("sends FAILED for an unknown RequestType", async () => {
    const { run, sent } = harness();
    await run(event("Restore"), CONTEXT);
    expect(sent[0]?.body.Status).toBe("FAILED");
    expect(sent[0]?.body.Reason).toBe(
      "Unhandled RequestType Restore See details in CloudWatch Log: 2024/01/01/[$LATEST]0123abcd",
    );
  });

  it("sends FAILED before the Lambda timeout when AWS does not answer", async () => {
    const aws = fakeAws();
    aws.cognito.listUserPools = () => new Promise(() => {});
    const { run, sent } = harness(aws);
    await run(event("Create"), { ...CONTEXT, getRemainingTimeInMillis: () => RESPONSE_RESERVE_MS + 20 });
    expect(sent[0]?.body.Status).toBe("FAILED");
    expect(sent[0]?.body.Reason).toMatch(
      /^Gave up after 20 ms to answer CloudFormation before the Lambda timeout/,
    );
  });

  it("rejects when the response cannot be delivered, so Lambda records the failure", async () => {
    const run = createHandler({
      awsPorts: () => fakeAws(),
      sendResponse: async () => {
        throw new Error("socket hang up");
      },
      log: () => {},
    });
    await expect(run(event("Create"), CONTEXT)).rejects.toThrow("socket hang up");
  });
});

describe("handler (default wiring)", () => {
  let server: Server | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("PUTs its answer to the ResponseURL over node:http", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    let received = "";
    server = createServer((req, res) => {
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        received += chunk;
      });
      req.on("end", () => res.end());
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;

    // An unknown RequestType fails before any AWS client is used, so this needs no AWS.
    await handler({ ...event("Restore"), ResponseURL: `http://127.0.0.1:${port}/signed?sig=1` }, CONTEXT);

    expect(JSON.parse(received)).toMatchObject({
      Status: "FAILED",
      Reason: expect.stringMatching(/^Unhandled RequestType Restore See details/),
      PhysicalResourceId: "CustomResourceExistingCognitoUserPool",
    });
  });
});
