// Custom::CognitoUserPool in a local deploy: runs the project's own custom-resource handler against the edge, as CloudFormation runs it in AWS.
import { createHash } from "node:crypto";
import { createAwsPorts } from "../../custom-resource/aws-ports.js";
import { findUserPoolIds } from "../../custom-resource/cognito-user-pool.js";
import type { CustomResourceEvent, LambdaContext } from "../../custom-resource/events.js";
import { createHandler } from "../../custom-resource/handler.js";
import { referencesFunction } from "../../custom-resource/lambda-config.js";
import {
  type FunctionEnvironment,
  functionArn,
  permissionStatementId,
  userPoolArn,
} from "../../custom-resource/names.js";
import type { AwsPorts, CloudFormationResponseBody } from "../../custom-resource/ports.js";
import { tryParseTarget } from "../../custom-resource/properties.js";
import {
  type ResourceContext,
  ResourceError,
  type ResourceHandler,
  type ResourceHandlers,
  type ResourceResult,
} from "../types.js";

export const CUSTOM_COGNITO_USER_POOL_TYPE = "Custom::CognitoUserPool";

/** The compiled handler function's Timeout (custom-resource-infra.ts): the budget CloudFormation's Lambda would get. */
const HANDLER_TIMEOUT_MS = 180_000;

/** The edge accepts any signature; the SDK still needs something to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** Only the in-process sender below ever sees this URL: nothing is PUT over the network. */
const RESPONSE_URL_PREFIX = "local-cloudformation://response/";

export interface CustomCognitoUserPoolOptions {
  /** The ports the handler talks through; default: the SDK v3 ports pointed at the edge. */
  awsPorts?: (ctx: ResourceContext, region: string) => AwsPorts;
}

function edgePorts(ctx: ResourceContext, region: string): AwsPorts {
  // `{}` instead of process.env: the deploy's own environment must not change how the handler retries.
  return createAwsPorts(region, {}, { endpoint: ctx.server.url, credentials: LOCAL_CREDENTIALS });
}

/** CloudFormation hands every scalar of a custom resource's properties over as a string. */
export function asCloudFormationDelivers(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(asCloudFormationDelivers);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asCloudFormationDelivers(v)]));
  }
  return value;
}

function env(ctx: ResourceContext): FunctionEnvironment {
  return { partition: "aws", region: ctx.region, accountId: ctx.accountId };
}

/**
 * The handler function's name from ServiceToken (the resolved `Fn::GetAtt <fn>.Arn`). The ARN is
 * rebuilt from the context's region and account: the handler derives the pool and trigger ARNs
 * from it, and those must be the edge's own.
 */
export function handlerFunctionName(serviceToken: unknown, stackName: string): string {
  if (typeof serviceToken === "string") {
    const match = /:function:([^:]+)(?::[^:]*)?$/.exec(serviceToken);
    if (match?.[1]) return match[1];
    if (serviceToken !== "" && !serviceToken.includes(":")) return serviceToken;
  }
  return `${stackName}-custom-resource-existing-cup`;
}

/** A stable stack id per stack name, so every request of one stack names the same stack. */
function stackId(ctx: ResourceContext): string {
  const hex = createHash("sha256").update(`${ctx.accountId}/${ctx.region}/${ctx.stackName}`).digest("hex");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/${uuid}`;
}

/** Lambda's stream name form, `YYYY/MM/DD/[$LATEST]<32 hex>`. */
function logStreamName(ctx: ResourceContext): string {
  const { clock, random } = ctx.server.deps;
  const day = new Date(clock.now()).toISOString().slice(0, 10).replace(/-/g, "/");
  return `${day}/[$LATEST]${random.bytes(16).toString("hex")}`;
}

type RequestType = "Create" | "Update" | "Delete";

interface Request {
  requestType: RequestType;
  properties: Record<string, unknown>;
  previous?: Record<string, unknown>;
  physicalId?: string;
}

/** Invokes the handler once, as CloudFormation would, and returns its response. */
async function runHandler(
  ctx: ResourceContext,
  request: Request,
  options: CustomCognitoUserPoolOptions,
): Promise<CloudFormationResponseBody> {
  const { deps } = ctx.server;
  const functionName = handlerFunctionName(request.properties.ServiceToken, ctx.stackName);
  const requestId = deps.random.uuid();
  const event: CustomResourceEvent = {
    RequestType: request.requestType,
    ResponseURL: `${RESPONSE_URL_PREFIX}${requestId}`,
    StackId: stackId(ctx),
    RequestId: requestId,
    LogicalResourceId: ctx.logicalId,
    ResourceType: CUSTOM_COGNITO_USER_POOL_TYPE,
    ResourceProperties: asCloudFormationDelivers(request.properties) as Record<string, unknown>,
  };
  if (request.physicalId !== undefined) event.PhysicalResourceId = request.physicalId;
  if (request.previous !== undefined) {
    event.OldResourceProperties = asCloudFormationDelivers(request.previous) as Record<string, unknown>;
  }
  const stream = logStreamName(ctx);
  const startedAt = deps.clock.now();
  const context: LambdaContext = {
    invokedFunctionArn: functionArn(env(ctx), functionName),
    logStreamName: stream,
    getRemainingTimeInMillis: () => HANDLER_TIMEOUT_MS - (deps.clock.now() - startedAt),
  };

  const lines: string[] = [];
  let response: CloudFormationResponseBody | undefined;
  const handler = createHandler({
    awsPorts: (region) => (options.awsPorts ?? edgePorts)(ctx, region),
    log: (line) => lines.push(line),
    async sendResponse(url, body) {
      if (url !== event.ResponseURL) throw new Error(`Unexpected ResponseURL ${url}`);
      response = body;
    },
  });
  try {
    await handler(event, context);
  } finally {
    // The handler's output lands where it would in AWS: its own log group, for `logs` and debugging.
    await deps.lambda.logs
      .append(
        `/aws/lambda/${functionName}`,
        stream,
        lines.map((message) => ({ timestamp: startedAt, message })),
      )
      .catch(() => undefined);
  }
  if (response === undefined) {
    throw new ResourceError(ctx.logicalId, "The custom resource handler sent no response.");
  }
  return response;
}

function resultOf(ctx: ResourceContext, response: CloudFormationResponseBody): ResourceResult {
  if (response.Status !== "SUCCESS") {
    throw new ResourceError(
      ctx.logicalId,
      `Received response status [FAILED] from custom resource. Message returned: ${response.Reason}`,
    );
  }
  return { physicalId: response.PhysicalResourceId, attributes: { ...response.Data } };
}

function awsErrorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { name?: string }).name : undefined;
}

/**
 * Permissions live in the edge's memory, pools in its store: after a restart the pool still
 * invokes the function, so the permission the handler added is put back (and nothing else changes).
 */
async function restorePermission(
  properties: Record<string, unknown>,
  ctx: ResourceContext,
  options: CustomCognitoUserPoolOptions,
): Promise<void> {
  const target = tryParseTarget(properties);
  if (target === undefined) return;
  const ports = (options.awsPorts ?? edgePorts)(ctx, ctx.region);
  const run = { ...ports, env: env(ctx), log: () => undefined };
  const arn = functionArn(run.env, target.functionName);
  for (const id of await findUserPoolIds(run, target.userPoolName)) {
    const pool = await ports.cognito.describeUserPool(id);
    if (!referencesFunction(pool.LambdaConfig, arn)) continue;
    try {
      await ports.lambda.addPermission({
        Action: "lambda:InvokeFunction",
        FunctionName: target.functionName,
        Principal: "cognito-idp.amazonaws.com",
        StatementId: permissionStatementId(target.functionName, target.userPoolName),
        SourceArn: userPoolArn(run.env, id),
      });
    } catch (error) {
      if (awsErrorName(error) !== "ResourceConflictException") throw error;
    }
  }
}

/**
 * The handler function resource itself is not run as a worker: the local deploy calls the handler
 * module in-process with the request CloudFormation would send, and reads the response directly.
 */
export function createCustomCognitoUserPoolHandler(
  options: CustomCognitoUserPoolOptions = {},
): ResourceHandler {
  return {
    async create(properties, ctx) {
      return resultOf(ctx, await runHandler(ctx, { requestType: "Create", properties }, options));
    },
    async update(physicalId, properties, previous, ctx) {
      const request: Request = { requestType: "Update", properties, previous, physicalId };
      return resultOf(ctx, await runHandler(ctx, request, options));
    },
    async delete(physicalId, properties, ctx) {
      resultOf(ctx, await runHandler(ctx, { requestType: "Delete", properties, physicalId }, options));
    },
    async restore(_physicalId, properties, ctx) {
      await restorePermission(properties, ctx, options);
    },
  };
}

export const customCognitoUserPoolHandlers: ResourceHandlers = {
  [CUSTOM_COGNITO_USER_POOL_TYPE]: createCustomCognitoUserPoolHandler(),
};
