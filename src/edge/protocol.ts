// The AWS JSON wire format's answers: results and `{"__type","message"}` errors, written to Node or as a Response.
import type { ServerResponse } from "node:http";
import { AwsError } from "../shared/aws-error.js";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
  "Access-Control-Allow-Headers":
    "content-type, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, x-amz-invocation-type, x-amz-log-type, x-amz-client-context, cache-control",
  "Access-Control-Expose-Headers":
    "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-function-error, x-amz-log-result, x-amz-executed-version, Date",
  "Access-Control-Max-Age": "86400",
};

/** An answer before it is written: the JSON fast path writes it to Node, routes turn it into a Response. */
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A JSON answer with the given content type (AWS JSON 1.1 unless said). */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = JSON_CONTENT_TYPE,
): WireAnswer {
  return { status, headers: { "Content-Type": contentType, ...headers }, body: JSON.stringify(body) };
}

/** Header values must be Latin-1 without line breaks; messages are user-controlled in places. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1024);
}

/**
 * `{"__type","message"}` with `x-amzn-ErrorType: <Name>:` (trailing colon, as AWS sends it) and
 * `x-amzn-ErrorMessage`. Anything that is not an AwsError becomes `internal` without its details, which
 * the caller logs instead.
 */
export function errorAnswer(
  error: unknown,
  requestId: string,
  internal: () => AwsError = () => new AwsError("InternalErrorException", "Internal server error.", 500),
  contentType = JSON_CONTENT_TYPE,
): { answer: WireAnswer; error: AwsError } {
  const aws = error instanceof AwsError ? error : internal();
  const answer = jsonAnswer(
    aws.status,
    { __type: aws.type, message: aws.message },
    {
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": `${aws.type}:`,
      "x-amzn-ErrorMessage": headerSafe(aws.message),
    },
    contentType,
  );
  return { answer, error: aws };
}

export function writeAnswer(res: ServerResponse, answer: WireAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(answer.status, {
    ...answer.headers,
    "Content-Length": String(Buffer.byteLength(answer.body)),
  });
  res.end(answer.body);
}

export function toResponse(answer: WireAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
