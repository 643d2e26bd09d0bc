// The AWS JSON 1.0/1.1 protocol: POSTs dispatched by X-Amz-Target to the service that owns the prefix.
import type { IncomingMessage } from "node:http";
import { AwsError } from "../shared/aws-error.js";
import type { JsonService } from "../shared/json-service.js";
import type { Logger } from "../shared/logger.js";
import { errorAnswer, jsonAnswer, type WireAnswer } from "./protocol.js";

/** The largest inputs of these services are well under this; a bigger body is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeply nested JSON costs parse time and stack for nothing a service accepts. */
const MAX_JSON_DEPTH = 32;

class BodyTooLarge extends Error {}

/** Reads the raw request: a Web stream per request would cost the hot path for nothing here. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH || typeof value !== "object" || value === null) return depth;
  let max = depth;
  for (const item of Object.values(value)) max = Math.max(max, depthOf(item, depth + 1));
  return max;
}

const serialization = (message: string) => new AwsError("SerializationException", message);

/** The input object, or the SerializationException a malformed body gets. */
function parseInput(body: Buffer): Record<string, unknown> {
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    throw serialization("Request body is not valid JSON.");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw serialization("Start of structure or map found where not expected.");
  if (depthOf(input) > MAX_JSON_DEPTH)
    throw serialization(`Request JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  return input as Record<string, unknown>;
}

export interface JsonCall {
  req: IncomingMessage;
  target: string;
  requestId: string;
  /** Called once the request is known to be too large: the socket is cut after the answer. */
  dropConnection(): void;
}

/** Answers one JSON call; unknown targets get UnknownOperationException as Cognito words it. */
export async function answerJson(
  services: readonly JsonService[],
  call: JsonCall,
  logger: Logger,
): Promise<WireAnswer> {
  const { req, target, requestId } = call;
  const service = services.find((s) => target.startsWith(s.targetPrefix));
  if (!service) {
    return errorAnswer(
      new AwsError("UnknownOperationException", `Unknown operation ${target || "(missing X-Amz-Target)"}`),
      requestId,
    ).answer;
  }
  const operation = target.slice(service.targetPrefix.length);
  const fail = (error: unknown): WireAnswer => {
    const written = errorAnswer(error, requestId, service.internalError, service.contentType);
    if (written.error.status >= 500) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      logger.error("action failed", {
        action: target,
        error: cause instanceof Error ? cause.stack : String(cause),
      });
    }
    return written.answer;
  };
  const refused = service.refuse?.(operation);
  if (refused) return fail(refused);
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    call.dropConnection();
    return fail(
      new AwsError("SerializationException", `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413),
    );
  }
  try {
    const input = parseInput(body);
    const userAgent = String(req.headers["user-agent"] ?? req.headers["x-amz-user-agent"] ?? "");
    const output = await service.call(operation, input, { requestId, userAgent });
    return jsonAnswer(200, output, { "x-amzn-RequestId": requestId }, service.contentType);
  } catch (error) {
    return fail(error);
  }
}
