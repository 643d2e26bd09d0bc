// The Lambda Invoke API (restJson1) for the edge's local functions, so `aws lambda invoke --endpoint-url` and the SDK reach them.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LambdaDeps } from "../lambda/ports.js";
import type { ServerConfig } from "../shared/config.js";
import type { Logger } from "../shared/logger.js";
import type { Random } from "../shared/random.js";
import { invocationLog } from "./lambda-format.js";
import { LambdaServiceError } from "./ports.js";

export interface LambdaApiDeps {
  lambda: LambdaDeps;
  random: Pick<Random, "uuid">;
  logger: Logger;
  /** Region and account of the ARNs in "Function not found" messages when a plain name was given. */
  config?: Pick<ServerConfig, "region" | "accountId"> | undefined;
}

const INVOCATIONS_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** Lambda's payload limits: 6 MB each way for synchronous calls, 1 MB for asynchronous ones. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** An oversized body is read (and dropped) up to this many times the limit before the socket is cut. */
const DISCARD_LIMIT_FACTOR = 4;
/** `X-Amz-Log-Result` carries the last 4 KB of the invocation's log. */
const LOG_TAIL_BYTES = 4096;

const INVOCATION_TYPES = new Set(["RequestResponse", "Event", "DryRun"]);

class PayloadTooLarge extends Error {}

/** Serves `POST /2015-03-31/functions/{FunctionName}/invocations`; false for any other path. */
export async function handleLambdaApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: LambdaApiDeps,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://edge.local");
  const match = INVOCATIONS_PATH.exec(url.pathname);
  if (!match) return false;
  const requestId = deps.random.uuid();
  try {
    await invoke(
      req,
      res,
      deps,
      decodeURIComponent(match[1] ?? ""),
      url.searchParams.get("Qualifier"),
      requestId,
    );
  } catch (error) {
    if (error instanceof LambdaServiceError) writeServiceError(res, error, requestId);
    else {
      deps.logger.error("lambda invoke failed", {
        error: error instanceof Error ? error.stack : String(error),
      });
      writeServiceError(res, new LambdaServiceError("ServiceException", "Internal error.", 500), requestId);
    }
  }
  return true;
}

async function invoke(
  req: IncomingMessage,
  res: ServerResponse,
  deps: LambdaApiDeps,
  functionName: string,
  qualifier: string | null,
  requestId: string,
): Promise<void> {
  if (req.method !== "POST") {
    req.resume();
    throw new LambdaServiceError(
      "UnknownOperationException",
      `Unknown operation ${req.method} ${req.url}`,
      404,
    );
  }
  const invocationType = header(req, "x-amz-invocation-type") ?? "RequestResponse";
  if (!INVOCATION_TYPES.has(invocationType)) {
    req.resume();
    throw new LambdaServiceError(
      "InvalidParameterValueException",
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const fn = deps.lambda.functions.resolve(functionName);
  const target = qualifiedArn(functionName, qualifier, fn?.arn, deps.config);
  if (!fn) {
    req.resume();
    throw new LambdaServiceError("ResourceNotFoundException", `Function not found: ${target}`, 404);
  }
  const limit = invocationType === "Event" ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof PayloadTooLarge)) throw error;
    throw new LambdaServiceError(
      "RequestTooLargeException",
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      413,
    );
  }
  // No payload means an empty object, as the CLI's `aws lambda invoke` without --payload expects.
  const payload = body.length === 0 ? "{}" : body.toString("utf8");
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new LambdaServiceError(
      "InvalidRequestContentException",
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }

  if (invocationType === "DryRun") {
    res.writeHead(204, { "x-amzn-RequestId": requestId });
    res.end();
    return;
  }
  if (invocationType === "Event") {
    const result = await deps.lambda.invoker.invoke(target, payload, { invocationType: "Event" });
    res.writeHead(202, { "x-amzn-RequestId": result.requestId || requestId, "Content-Length": "0" });
    res.end();
    return;
  }

  const result = await deps.lambda.invoker.invoke(target, payload, { invocationType: "RequestResponse" });
  const responsePayload = result.payload;
  const functionError = result.functionError;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(responsePayload)),
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-RequestId": result.requestId,
  };
  if (functionError) headers["X-Amz-Function-Error"] = functionError;
  const log = invocationLog(result);
  if (header(req, "x-amz-log-type") === "Tail" && log !== undefined)
    headers["X-Amz-Log-Result"] = Buffer.from(log, "utf8").subarray(-LOG_TAIL_BYTES).toString("base64");
  res.writeHead(200, headers);
  res.end(responsePayload);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The ARN Lambda names in its answers: an ARN as given, a partial ARN or plain name completed with
 * the edge's region and account; the Qualifier query parameter appended.
 */
function qualifiedArn(
  functionName: string,
  qualifier: string | null,
  knownArn: string | undefined,
  config: LambdaApiDeps["config"],
): string {
  const region = config?.region ?? "us-east-1";
  const partial = /^(\d{12}):function:(.+)$/.exec(functionName);
  let arn: string;
  if (functionName.startsWith("arn:")) arn = functionName;
  else if (partial) arn = `arn:aws:lambda:${region}:${partial[1]}:function:${partial[2]}`;
  else
    arn =
      knownArn ?? `arn:aws:lambda:${region}:${config?.accountId ?? "000000000000"}:function:${functionName}`;
  return qualifier ? `${arn}:${qualifier}` : arn;
}

/**
 * The body, or PayloadTooLarge once an oversized body has been read to its end: answering while the
 * client is still sending makes SDKs see a reset connection instead of Lambda's error. Bodies far past
 * the limit are cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > DISCARD_LIMIT_FACTOR * limit) {
        req.destroy();
        reject(new PayloadTooLarge());
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new PayloadTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/**
 * Lambda's restJson1 errors: the code in `x-amzn-ErrorType`, `{"Type","Message"}` in the body
 * (`Type` is "User" for the caller's mistakes, "Service" for Lambda's own).
 */
export function writeServiceError(res: ServerResponse, error: LambdaServiceError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ Type: error.status >= 500 ? "Service" : "User", Message: error.message });
  res.writeHead(error.status, {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(body)),
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": error.code,
  });
  res.end(body);
}
