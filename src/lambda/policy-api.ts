// The Lambda API's resource-based policy operations (AddPermission, RemovePermission, GetPolicy) on the edge's functions.

import type { ServerConfig } from "../shared/config.js";
import type { Random } from "../shared/random.js";
import type { LambdaDeps } from "./deps.js";
import { serviceError } from "./invoke-api.js";
import type { PermissionStatement } from "./permissions.js";
import { LambdaServiceError } from "./ports.js";
import { BodyTooLarge, readLimited } from "./read-limited.js";

export interface PolicyApiDeps {
  lambda: LambdaDeps;
  random: Pick<Random, "uuid">;
  config?: Pick<ServerConfig, "region" | "accountId"> | undefined;
}

const MAX_BODY_BYTES = 64 * 1024;
const SID_PATTERN = /^[a-zA-Z0-9-_.]{1,100}$/;

/** Serves `/2015-03-31/functions/{name}/policy[/{sid}]`: AddPermission, RemovePermission, GetPolicy. */
export async function policyOperation(
  request: { method: string; path: string; body: ReadableStream<Uint8Array> | null },
  name: string,
  sid: string | undefined,
  deps: PolicyApiDeps,
): Promise<Response> {
  const requestId = deps.random.uuid();
  const json = (status: number, body: unknown) =>
    Response.json(body, { status, headers: { "x-amzn-RequestId": requestId } });
  try {
    const body = await readBody(request.body);
    const fn = deps.lambda.functions.resolve(name);
    const permissions = deps.lambda.permissions;
    if (!fn)
      throw new LambdaServiceError(
        "ResourceNotFoundException",
        `Function not found: ${arnOf(name, deps)}`,
        404,
      );
    if (request.method === "POST" && sid === undefined) {
      const statement = statementOf(parseJson(body));
      if (!permissions.add(fn.name, statement))
        throw new LambdaServiceError(
          "ResourceConflictException",
          `The statement id (${statement.sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          409,
        );
      return json(201, { Statement: JSON.stringify(policyStatement(statement, fn.arn)) });
    }
    if (request.method === "DELETE" && sid !== undefined) {
      if (!permissions.remove(fn.name, sid))
        throw new LambdaServiceError(
          "ResourceNotFoundException",
          `Statement ${sid} is not found in resource policy.`,
          404,
        );
      return new Response(null, { status: 204, headers: { "x-amzn-RequestId": requestId } });
    }
    if (request.method === "GET" && sid === undefined) {
      const statements = permissions.list(fn.name);
      if (statements.length === 0)
        throw new LambdaServiceError(
          "ResourceNotFoundException",
          "The resource you requested does not exist.",
          404,
        );
      const policy = {
        Version: "2012-10-17",
        Id: "default",
        Statement: statements.map((s) => policyStatement(s, fn.arn)),
      };
      return json(200, { Policy: JSON.stringify(policy), RevisionId: revisionOf(policy) });
    }
    throw new LambdaServiceError(
      "UnknownOperationException",
      `Unknown operation ${request.method} ${request.path}`,
      404,
    );
  } catch (error) {
    const failure =
      error instanceof LambdaServiceError
        ? error
        : new LambdaServiceError("ServiceException", "Internal error.", 500);
    return serviceError(failure, requestId);
  }
}

function statementOf(input: Record<string, unknown>): PermissionStatement {
  const problems: string[] = [];
  const text = (key: string, required: boolean): string | undefined => {
    const value = input[key];
    if (value === undefined || value === null) {
      if (required)
        problems.push(
          `Value null at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`,
        );
      return undefined;
    }
    if (typeof value !== "string")
      throw new LambdaServiceError("InvalidParameterValueException", `${key} must be a string`);
    return value;
  };
  const sid = text("StatementId", true);
  const action = text("Action", true);
  const principal = text("Principal", true);
  if (problems.length > 0)
    throw new LambdaServiceError(
      "ValidationException",
      `${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`,
    );
  if (!SID_PATTERN.test(sid as string))
    throw new LambdaServiceError(
      "ValidationException",
      `1 validation error detected: Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`,
    );
  if (!/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action as string))
    throw new LambdaServiceError(
      "ValidationException",
      `1 validation error detected: Value '${action}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`,
    );
  return {
    sid: sid as string,
    action: action as string,
    principal: principal as string,
    sourceArn: text("SourceArn", false),
    sourceAccount: text("SourceAccount", false),
  };
}

/** The statement as Lambda shows it in AddPermission's answer and GetPolicy's document. */
function policyStatement(s: PermissionStatement, resource: string): Record<string, unknown> {
  const principal =
    s.principal === "*"
      ? "*"
      : /^\d{12}$/.test(s.principal) || s.principal.startsWith("arn:")
        ? { AWS: /^\d{12}$/.test(s.principal) ? `arn:aws:iam::${s.principal}:root` : s.principal }
        : { Service: s.principal };
  const condition: Record<string, Record<string, string>> = {};
  if (s.sourceAccount !== undefined) condition.StringEquals = { "AWS:SourceAccount": s.sourceAccount };
  if (s.sourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": s.sourceArn };
  return {
    Sid: s.sid,
    Effect: "Allow",
    Principal: principal,
    Action: s.action,
    Resource: resource,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/** A stable revision id for the same document (Lambda's is a UUID that changes with each change). */
function revisionOf(policy: unknown): string {
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(policy)) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const hex = hash.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

function arnOf(name: string, deps: PolicyApiDeps): string {
  if (name.startsWith("arn:")) return name;
  const region = deps.config?.region ?? "us-east-1";
  return `arn:aws:lambda:${region}:${deps.config?.accountId ?? "000000000000"}:function:${name}`;
}

function parseJson(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body === "" ? {} : JSON.parse(body);
  } catch {
    throw new LambdaServiceError("SerializationException", "Could not parse request body into json");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new LambdaServiceError(
      "SerializationException",
      "Start of structure or map found where not expected.",
    );
  return parsed as Record<string, unknown>;
}

async function readBody(body: ReadableStream<Uint8Array> | null): Promise<string> {
  try {
    // Read to the end before answering, as Lambda does; only the first MAX_BODY_BYTES are kept.
    return (await readLimited(body, MAX_BODY_BYTES, { drainFactor: Number.POSITIVE_INFINITY })).toString(
      "utf8",
    );
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    throw new LambdaServiceError("RequestTooLargeException", "Request must be smaller than 65536 bytes", 413);
  }
}
