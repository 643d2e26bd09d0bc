// Tests for the CloudFormation response body and its PUT to a real local HTTP server.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CustomResourceEvent } from "./events.js";
import { buildResponseBody, MAX_RESPONSE_BYTES, PHYSICAL_RESOURCE_ID, sendResponse } from "./response.js";

const EVENT: CustomResourceEvent = {
  RequestType: "Create",
  ResponseURL: "https://example.invalid/",
  StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/svc-dev/1",
  RequestId: "req-1",
  LogicalResourceId: "FnCustomCognitoUserPool1",
  ResourceProperties: {},
};

describe("buildResponseBody", () => {
  it("reports SUCCESS with Serverless's constant physical id, in CloudFormation's key order", () => {
    const body = buildResponseBody(EVENT, "2024/01/01/[$LATEST]abc", {
      status: "SUCCESS",
      data: { UserPoolId: "eu-west-1_abc" },
    });
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        Status: "SUCCESS",
        Reason: "",
        PhysicalResourceId: PHYSICAL_RESOURCE_ID,
        StackId: EVENT.StackId,
        RequestId: "req-1",
        LogicalResourceId: "FnCustomCognitoUserPool1",
        Data: { UserPoolId: "eu-west-1_abc" },
      }),
    );
    expect(PHYSICAL_RESOURCE_ID).toBe("CustomResourceExistingCognitoUserPool");
  });

  it("reports FAILED with the message and the log stream, and empty Data", () => {
    const body = buildResponseBody(EVENT, "stream-1", { status: "FAILED", error: new Error("boom.") });
    expect(body.Status).toBe("FAILED");
    expect(body.Reason).toBe("boom. See details in CloudWatch Log: stream-1");
    expect(body.Data).toEqual({});
    expect(buildResponseBody(EVENT, "s", { status: "FAILED", error: "plain" }).Reason).toBe(
      "plain See details in CloudWatch Log: s",
    );
  });

  it("shortens a huge reason to fit CloudFormation's 4096 bytes, keeping the log pointer", () => {
    const body = buildResponseBody(EVENT, "stream-1", {
      status: "FAILED",
      error: new Error(`${'é"'.repeat(3000)}😀`),
    });
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(bytes).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(bytes).toBeGreaterThan(MAX_RESPONSE_BYTES - 50);
    expect(body.Reason).toMatch(/^(é")+é?… See details in CloudWatch Log: stream-1$/);
  });
});

describe("sendResponse", () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  interface Received {
    method?: string;
    url?: string;
    headers: IncomingHttpHeaders;
    body: string;
  }

  async function listen(status: number): Promise<{ url: string; received: Promise<Received> }> {
    let deliver: (value: Received) => void = () => {};
    const received = new Promise<Received>((resolve) => {
      deliver = resolve;
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        deliver({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        res.statusCode = status;
        res.end(status === 200 ? "" : "<Error><Code>AccessDenied</Code></Error>");
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/cfn-response/req-1?X-Amz-Signature=abc&X-Amz-Expires=7200`,
      received,
    };
  }

  it("PUTs the JSON body with an empty content type and its byte length to the pre-signed path", async () => {
    const { url, received } = await listen(200);
    const body = buildResponseBody(EVENT, "stream-ü", { status: "FAILED", error: new Error("No pool «x»") });

    await sendResponse(url, body);

    const request = await received;
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("/cfn-response/req-1?X-Amz-Signature=abc&X-Amz-Expires=7200");
    expect(request.headers["content-type"]).toBe("");
    expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(JSON.parse(request.body)).toEqual(body);
  });

  it("rejects when the response URL answers an error status", async () => {
    const { url } = await listen(403);
    const body = buildResponseBody(EVENT, "s", { status: "SUCCESS", data: {} });
    await expect(sendResponse(url, body)).rejects.toThrow("CloudFormation response PUT answered HTTP 403");
  });

  it("rejects when nothing listens", async () => {
    const { url } = await listen(200);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const body = buildResponseBody(EVENT, "s", { status: "SUCCESS", data: {} });
    await expect(sendResponse(url, body)).rejects.toThrow(/ECONNREFUSED/);
  });
});
