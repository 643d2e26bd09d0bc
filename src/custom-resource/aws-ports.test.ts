// Tests for the SDK v3 ports against a local HTTP server reached through AWS_ENDPOINT_URL.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAwsPorts, DEFAULT_MAX_ATTEMPTS, maxAttemptsFromEnv } from "./aws-ports.js";

describe("maxAttemptsFromEnv", () => {
  it("uses SLS_AWS_REQUEST_MAX_RETRIES when it is a number >= 0, else 8", () => {
    expect(DEFAULT_MAX_ATTEMPTS).toBe(8);
    expect(maxAttemptsFromEnv({})).toBe(8);
    expect(maxAttemptsFromEnv({ SLS_AWS_REQUEST_MAX_RETRIES: "3" })).toBe(3);
    expect(maxAttemptsFromEnv({ SLS_AWS_REQUEST_MAX_RETRIES: "-1" })).toBe(8);
    expect(maxAttemptsFromEnv({ SLS_AWS_REQUEST_MAX_RETRIES: "many" })).toBe(8);
    expect(maxAttemptsFromEnv({ SLS_AWS_REQUEST_MAX_RETRIES: " " })).toBe(8);
    // The SDK needs at least the first attempt.
    expect(maxAttemptsFromEnv({ SLS_AWS_REQUEST_MAX_RETRIES: "0" })).toBe(1);
  });
});

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe("createAwsPorts", () => {
  let server: Server;
  let received: Received[];
  let reply: (request: Received) => { status: number; headers?: Record<string, string>; body: string };

  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
        received.push(request);
        const answer = reply(request);
        res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1", ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv("AWS_ENDPOINT_URL", `http://127.0.0.1:${port}`);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "");
    vi.stubEnv("AWS_PROFILE", "");
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("lists user pools 60 at a time in the function's region", async () => {
    reply = () => ({
      status: 200,
      body: JSON.stringify({ UserPools: [{ Id: "ap-southeast-2_a", Name: "p" }] }),
    });
    const ports = createAwsPorts("ap-southeast-2", {});

    const page = await ports.cognito.listUserPools("token-1");

    expect(page).toEqual({ UserPools: [{ Id: "ap-southeast-2_a", Name: "p" }], NextToken: undefined });
    const [request] = received;
    expect(request?.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.ListUserPools");
    expect(JSON.parse(request?.body ?? "")).toEqual({ MaxResults: 60, NextToken: "token-1" });
    expect(request?.headers.authorization).toContain("/ap-southeast-2/cognito-idp/aws4_request");
  });

  it("retries up to SLS_AWS_REQUEST_MAX_RETRIES attempts", async () => {
    reply = () => ({
      status: 500,
      headers: { "x-amzn-errortype": "InternalErrorException" },
      body: JSON.stringify({ message: "try again" }),
    });
    const ports = createAwsPorts("eu-west-1", { SLS_AWS_REQUEST_MAX_RETRIES: "2" });
    await expect(ports.cognito.describeUserPool("eu-west-1_a")).rejects.toMatchObject({
      name: "InternalErrorException",
    });
    expect(received).toHaveLength(2);
  });

  it("sends DescribeUserPool and UpdateUserPool", async () => {
    reply = (request) =>
      request.headers["x-amz-target"] === "AWSCognitoIdentityProviderService.DescribeUserPool"
        ? {
            status: 200,
            body: JSON.stringify({ UserPool: { Id: "eu-west-1_a", Name: "p", LambdaConfig: {} } }),
          }
        : { status: 200, body: "{}" };
    const ports = createAwsPorts("eu-west-1", {});

    expect(await ports.cognito.describeUserPool("eu-west-1_a")).toEqual({
      Id: "eu-west-1_a",
      Name: "p",
      LambdaConfig: {},
    });
    await ports.cognito.updateUserPool({ UserPoolId: "eu-west-1_a", LambdaConfig: { PreSignUp: "arn:x" } });

    expect(JSON.parse(received[0]?.body ?? "")).toEqual({ UserPoolId: "eu-west-1_a" });
    expect(received[1]?.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.UpdateUserPool");
    expect(JSON.parse(received[1]?.body ?? "")).toEqual({
      UserPoolId: "eu-west-1_a",
      LambdaConfig: { PreSignUp: "arn:x" },
    });
  });

  it("adds and removes the Lambda permission, surfacing AWS error names", async () => {
    reply = (request) =>
      request.method === "POST"
        ? {
            status: 409,
            headers: { "x-amzn-errortype": "ResourceConflictException" },
            body: JSON.stringify({
              Type: "User",
              message: "The statement id (sid) provided already exists.",
            }),
          }
        : {
            status: 404,
            headers: { "x-amzn-errortype": "ResourceNotFoundException" },
            body: JSON.stringify({
              Type: "User",
              message: "No policy is associated with the given resource.",
            }),
          };
    const ports = createAwsPorts("eu-west-1", { SLS_AWS_REQUEST_MAX_RETRIES: "1" });

    await expect(
      ports.lambda.addPermission({
        Action: "lambda:InvokeFunction",
        FunctionName: "svc-dev-fn",
        Principal: "cognito-idp.amazonaws.com",
        StatementId: "svc-dev-fn-my-pool",
        SourceArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_a",
      }),
    ).rejects.toMatchObject({ name: "ResourceConflictException" });
    await expect(
      ports.lambda.removePermission({ FunctionName: "svc-dev-fn", StatementId: "svc-dev-fn-my-pool" }),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });

    expect(received.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /2015-03-31/functions/svc-dev-fn/policy",
      "DELETE /2015-03-31/functions/svc-dev-fn/policy/svc-dev-fn-my-pool",
    ]);
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({
      Action: "lambda:InvokeFunction",
      Principal: "cognito-idp.amazonaws.com",
      StatementId: "svc-dev-fn-my-pool",
      SourceArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_a",
    });
  });
});
