// Builds the CloudFormation custom-resource response and PUTs it to the pre-signed ResponseURL.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { CustomResourceEvent } from "./events.js";
import type { CloudFormationResponseBody } from "./ports.js";

/** Serverless v3's constant: another id would make CloudFormation delete what Serverless deployed. */
export const PHYSICAL_RESOURCE_ID = "CustomResourceExistingCognitoUserPool";

/** CloudFormation rejects larger responses, and the stack then waits an hour for one. */
export const MAX_RESPONSE_BYTES = 4096;

export type Outcome =
  | { status: "SUCCESS"; data: Record<string, unknown> }
  | { status: "FAILED"; error: unknown };

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function bodyBytes(body: CloudFormationResponseBody): number {
  return Buffer.byteLength(JSON.stringify(body));
}

export function buildResponseBody(
  event: CustomResourceEvent,
  logStreamName: string,
  outcome: Outcome,
): CloudFormationResponseBody {
  const suffix = ` See details in CloudWatch Log: ${logStreamName}`;
  const body: CloudFormationResponseBody = {
    Status: outcome.status,
    Reason: outcome.status === "FAILED" ? `${errorMessage(outcome.error)}${suffix}` : "",
    PhysicalResourceId: PHYSICAL_RESOURCE_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: outcome.status === "SUCCESS" ? outcome.data : {},
  };
  if (outcome.status === "FAILED" && bodyBytes(body) > MAX_RESPONSE_BYTES) {
    // Keep the longest prefix of the message (whole code points) that fits; never cut the log pointer.
    const message = Array.from(errorMessage(outcome.error));
    const fits = (kept: number): boolean => {
      body.Reason = `${message.slice(0, kept).join("")}…${suffix}`;
      return bodyBytes(body) <= MAX_RESPONSE_BYTES;
    };
    let low = 0;
    let high = message.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    fits(low);
  }
  return body;
}

export interface SendOptions {
  timeoutMs?: number;
}

/** PUTs the body; resolves once CloudFormation's S3 answered 2xx, rejects otherwise. */
export function sendResponse(
  responseUrl: string,
  body: CloudFormationResponseBody,
  options: SendOptions = {},
): Promise<void> {
  const payload = JSON.stringify(body);
  const url = new URL(responseUrl);
  const request = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "PUT",
        // The URL is signed without a content type, so any other value would fail the signature.
        headers: { "content-type": "", "content-length": Buffer.byteLength(payload) },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`CloudFormation response PUT answered HTTP ${status}`));
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("CloudFormation response PUT timed out")));
    req.on("error", reject);
    req.end(payload);
  });
}
