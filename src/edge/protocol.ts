// The AWS JSON 1.1 wire format: the only code that writes responses, success or error.
import type { ServerResponse } from "node:http";
import { CognitoError } from "../cognito/errors.js";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers":
    "content-type, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, cache-control",
  "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date",
  "Access-Control-Max-Age": "86400",
};

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    "Content-Type": JSON_CONTENT_TYPE,
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Header values must be Latin-1 without line breaks; messages are user-controlled in places. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 1024);
}

/**
 * `{"__type","message"}` with `x-amzn-ErrorType: <Name>:` (trailing colon, as AWS sends it) and
 * `x-amzn-ErrorMessage`. Anything that is not a CognitoError becomes InternalErrorException without
 * its details, which are logged instead.
 */
export function writeError(res: ServerResponse, error: unknown, requestId: string): CognitoError {
  const cognito =
    error instanceof CognitoError
      ? error
      : new CognitoError("InternalErrorException", "Internal server error.", 500);
  writeJson(
    res,
    cognito.status,
    { __type: cognito.type, message: cognito.message },
    {
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": `${cognito.type}:`,
      "x-amzn-ErrorMessage": headerSafe(cognito.message),
    },
  );
  return cognito;
}
