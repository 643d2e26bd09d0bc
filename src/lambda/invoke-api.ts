// The Lambda Invoke API (restJson1) for the edge's local functions, so `aws lambda invoke --endpoint-url` and the SDK reach them.

import type { ServerConfig } from "../shared/config.js";
import type { Logger } from "../shared/logger.js";
import type { Random } from "../shared/random.js";
import type { LambdaDeps } from "./deps.js";
import { invocationLog } from "./lambda-format.js";
import { LambdaServiceError } from "./ports.js";
import { BodyTooLarge, readLimited } from "./read-limited.js";

export interface LambdaApiDeps {
  lambda: LambdaDeps;
  random: Pick<Random, "uuid">;
  logger: Logger;
  /** Region and account of the ARNs in "Function not found" messages when a plain name was given. */
  config?: Pick<ServerConfig, "region" | "accountId"> | undefined;
}

/** Lambda's payload limits: 6 MB each way for synchronous calls, 1 MB for asynchronous ones. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** An oversized body is read (and dropped) up to this many times the limit before the socket is cut. */
const DISCARD_LIMIT_FACTOR = 4;
/** `X-Amz-Log-Result` carries the last 4 KB of the invocation's log. */
const LOG_TAIL_BYTES = 4096;

const INVOCATION_TYPES = new Set(["RequestResponse", "Event", "DryRun"]);

/** The request facts `invoke` reads; a Hono context gives them (see routes.ts). */
export interface InvokeRequest {
  method: string;
  path: string;
  header(name: string): string | undefined;
  body: ReadableStream<Uint8Array> | null;
}

/** Serves `POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=q]`. */
export async function invokeFunction(
  request: InvokeRequest,
  functionName: string,
  qualifier: string | undefined,
  deps: LambdaApiDeps,
): Promise<Response> {
  const requestId = deps.random.uuid();
  try {
    return await invoke(request, deps, functionName, qualifier, requestId);
  } catch (error) {
    await request.body?.cancel().catch(() => {});
    if (error instanceof LambdaServiceError) return serviceError(error, requestId);
    deps.logger.error("lambda invoke failed", {
      error: error instanceof Error ? error.stack : String(error),
    });
    return serviceError(new LambdaServiceError("ServiceException", "Internal error.", 500), requestId);
  }
}

async function invoke(
  request: InvokeRequest,
  deps: LambdaApiDeps,
  functionName: string,
  qualifier: string | undefined,
  requestId: string,
): Promise<Response> {
  if (request.method !== "POST") {
    throw new LambdaServiceError(
      "UnknownOperationException",
      `Unknown operation ${request.method} ${request.path}`,
      404,
    );
  }
  const invocationType = request.header("x-amz-invocation-type") ?? "RequestResponse";
  if (!INVOCATION_TYPES.has(invocationType)) {
    throw new LambdaServiceError(
      "InvalidParameterValueException",
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const fn = deps.lambda.functions.resolve(functionName);
  const target = qualifiedArn(functionName, qualifier, fn?.arn, deps.config);
  if (!fn) throw new LambdaServiceError("ResourceNotFoundException", `Function not found: ${target}`, 404);
  const limit = invocationType === "Event" ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
  let body: Buffer;
  try {
    body = await readLimited(request.body, limit, {
      declaredLength: Number(request.header("content-length") ?? 0),
      drainFactor: DISCARD_LIMIT_FACTOR,
    });
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
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

  if (invocationType === "DryRun")
    return new Response(null, { status: 204, headers: { "x-amzn-RequestId": requestId } });
  if (invocationType === "Event") {
    const result = await deps.lambda.invoker.invoke(target, payload, { invocationType: "Event" });
    return new Response(null, {
      status: 202,
      headers: { "x-amzn-RequestId": result.requestId || requestId },
    });
  }

  const result = await deps.lambda.invoker.invoke(target, payload, { invocationType: "RequestResponse" });
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Amz-Executed-Version": "$LATEST",
    "x-amzn-RequestId": result.requestId,
  };
  if (result.functionError) headers["X-Amz-Function-Error"] = result.functionError;
  const log = invocationLog(result);
  if (request.header("x-amz-log-type") === "Tail" && log !== undefined)
    headers["X-Amz-Log-Result"] = Buffer.from(log, "utf8").subarray(-LOG_TAIL_BYTES).toString("base64");
  return new Response(result.payload, { status: 200, headers });
}

/**
 * The ARN Lambda names in its answers: an ARN as given, a partial ARN or plain name completed with
 * the edge's region and account; the Qualifier query parameter appended.
 */
function qualifiedArn(
  functionName: string,
  qualifier: string | undefined,
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
 * Lambda's restJson1 errors: the code in `x-amzn-ErrorType`, `{"Type","Message"}` in the body
 * (`Type` is "User" for the caller's mistakes, "Service" for Lambda's own).
 */
export function serviceError(error: LambdaServiceError, requestId: string): Response {
  return Response.json(
    { Type: error.status >= 500 ? "Service" : "User", Message: error.message },
    { status: error.status, headers: { "x-amzn-RequestId": requestId, "x-amzn-ErrorType": error.code } },
  );
}
