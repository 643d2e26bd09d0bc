// The HTTP front: routes AWS JSON 1.1 calls by X-Amz-Target, serves JWKS/OpenID, the outbox and health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { COGNITO_ACTIONS } from "../cognito/actions/all-actions.js";
import type { ActionContext } from "../cognito/actions/context.js";
import { ACTIONS } from "../cognito/actions/registry.js";
import { CognitoError } from "../cognito/errors.js";
import { isDynamoDbTarget } from "../dynamodb/edge.js";
import type { ServerDeps } from "../edge/deps.js";
import { handleKmsAction, KMS_TARGET_PREFIX } from "../kms/api.js";
import { handleLambdaApi } from "../lambda/invoke-api.js";
import { handlePolicyApi } from "../lambda/policy-api.js";
import { handleLogsAction, LOGS_TARGET_PREFIX } from "../logs/api.js";
import { CORS_HEADERS, writeError, writeJson } from "./protocol.js";
import { handleGet } from "./routes.js";

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
/** Cognito's largest inputs are well under this; a bigger body is refused without being read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeply nested JSON costs parse time and stack for nothing Cognito accepts. */
const MAX_JSON_DEPTH = 32;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
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

/** `aws-sdk-js-3.600.0` from `aws-sdk-js/3.600.0 ...`; Cognito's fallback otherwise. */
export function awsSdkVersion(userAgent: string | undefined): string {
  const match = userAgent?.match(/aws-sdk-([a-z]+)\/(\d[\w.-]*)/i);
  return match ? `aws-sdk-${match[1]?.toLowerCase()}-${match[2]}` : "aws-sdk-unknown-unknown";
}

export function createHttpServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = deps.random.uuid();
    let label = `${req.method} ${req.url}`;
    res.on("finish", () => {
      deps.logger.info("request", {
        action: label,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    handle(req, res, requestId, deps, (name) => {
      label = name;
    }).catch((error: unknown) => {
      deps.logger.error("unhandled error", { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) writeError(res, error, requestId);
      else res.destroy();
    });
  });
  // Slow or stuck clients must not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  deps: ServerDeps,
  setLabel: (label: string) => void,
): Promise<void> {
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS_HEADERS);
    res.end();
    return;
  }
  // DynamoDB (JSON 1.0) goes to the embedded engine before anything reads the body: it reads it itself.
  const dynamoTarget = req.headers["x-amz-target"];
  if (deps.dynamodb && req.method === "POST" && isDynamoDbTarget(dynamoTarget)) {
    setLabel(String(dynamoTarget));
    deps.dynamodb.handle(req, res);
    return;
  }
  // The Lambda Invoke API (restJson1, by path) for the edge's local functions.
  if (
    await handleLambdaApi(req, res, {
      lambda: deps.lambda,
      random: deps.random,
      logger: deps.logger,
      config: deps.config,
    })
  )
    return;
  // Its resource-based policies (AddPermission, RemovePermission, GetPolicy), also by path.
  if (await handlePolicyApi(req, res, { lambda: deps.lambda, random: deps.random, config: deps.config }))
    return;
  if (req.method === "GET" || req.method === "HEAD") {
    await handleGet(req, res, deps);
    return;
  }
  if (req.method !== "POST") {
    writeJson(res, 405, { message: `Method ${req.method} is not allowed` });
    return;
  }

  const target = String(req.headers["x-amz-target"] ?? "");
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  setLabel(name || target || "(no X-Amz-Target)");

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      writeError(
        res,
        new CognitoError(
          "SerializationException",
          `Request body is larger than ${MAX_BODY_BYTES} bytes.`,
          413,
        ),
        requestId,
      );
      res.once("finish", () => req.destroy());
      return;
    }
    throw error;
  }

  // CloudWatch Logs and KMS share the port and the JSON 1.1 protocol; their handlers speak it too.
  const service = otherService(target, deps);
  if (service) {
    setLabel(target);
    await answerOther(res, body, requestId, service, deps);
    return;
  }

  const action = ACTIONS[name];
  if (!action) {
    const error = COGNITO_ACTIONS.has(name)
      ? new CognitoError(
          "UnsupportedOperationException",
          `${name} is not supported by cognito-triggers yet (see docs/parity.md for what is).`,
        )
      : new CognitoError(
          "UnknownOperationException",
          `Unknown operation ${target || "(missing X-Amz-Target)"}`,
        );
    writeError(res, error, requestId);
    return;
  }

  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    writeError(res, new CognitoError("SerializationException", "Request body is not valid JSON."), requestId);
    return;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    writeError(
      res,
      new CognitoError("SerializationException", "Start of structure or map found where not expected."),
      requestId,
    );
    return;
  }
  if (depthOf(input) > MAX_JSON_DEPTH) {
    writeError(
      res,
      new CognitoError(
        "SerializationException",
        `Request JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`,
      ),
      requestId,
    );
    return;
  }

  const ctx: ActionContext = {
    ...deps,
    request: {
      requestId,
      awsSdkVersion: awsSdkVersion(
        String(req.headers["user-agent"] ?? req.headers["x-amz-user-agent"] ?? ""),
      ),
    },
  };
  try {
    const output = await action(input as Record<string, unknown>, ctx);
    writeJson(res, 200, output, { "x-amzn-RequestId": requestId });
  } catch (error) {
    const written = writeError(res, error, requestId);
    if (written.type === "InternalErrorException")
      deps.logger.error("action failed", {
        action: name,
        error: error instanceof Error ? error.stack : String(error),
      });
  }
}

type OtherService = (input: unknown) => Promise<unknown>;

/** The handler for a CloudWatch Logs (`Logs_20140328.*`) or KMS (`TrentService.*`) target, if it is one. */
function otherService(target: string, deps: ServerDeps): OtherService | undefined {
  if (target.startsWith(LOGS_TARGET_PREFIX)) {
    const name = target.slice(LOGS_TARGET_PREFIX.length);
    return (input) =>
      handleLogsAction(name, input, { store: deps.store, clock: deps.clock, config: deps.config });
  }
  if (target.startsWith(KMS_TARGET_PREFIX)) {
    const name = target.slice(KMS_TARGET_PREFIX.length);
    return (input) => handleKmsAction(name, input, deps);
  }
  return undefined;
}

async function answerOther(
  res: ServerResponse,
  body: Buffer,
  requestId: string,
  service: OtherService,
  deps: ServerDeps,
) {
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    writeError(res, new CognitoError("SerializationException", "Request body is not valid JSON."), requestId);
    return;
  }
  try {
    writeJson(res, 200, await service(input), { "x-amzn-RequestId": requestId });
  } catch (error) {
    const written = writeError(res, error, requestId);
    if (written.status >= 500)
      deps.logger.error("action failed", {
        error:
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.stack
              : error.stack
            : String(error),
      });
  }
}
