// The remote invoker against a small Lambda Invoke API server started here, and against the edge's own Invoke API.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissionTable } from "../../../src/lambda/permissions.js";
import { LambdaServiceError } from "../../../src/lambda/ports.js";
import { createRegistry } from "../../../src/lambda/registry.js";
import { createRemoteInvoker } from "../../../src/lambda/remote-invoker.js";
import { lambdaRoutes } from "../../../src/lambda/routes.js";
import { silentLogger } from "../../../src/shared/logger.js";
import { countingRandom, fixture, REGION, testInvoker } from "./helpers.js";

interface Received {
  functionName: string;
  invocationType: string | undefined;
  logType: string | undefined;
  signed: boolean;
  body: string;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const readAll = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

function lambdaError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "x-amzn-ErrorType": code,
    "x-amzn-RequestId": "err-1",
  });
  res.end(JSON.stringify({ Type: "User", message }));
}

describe("against a stub Lambda Invoke API", () => {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url?.split("?")[0] ?? "");
      const body = await readAll(req);
      const functionName = decodeURIComponent(match?.[1] ?? "");
      received.push({
        functionName,
        invocationType: req.headers["x-amz-invocation-type"] as string | undefined,
        logType: req.headers["x-amz-log-type"] as string | undefined,
        signed: String(req.headers.authorization ?? "").startsWith(
          "AWS4-HMAC-SHA256 Credential=AKIALOCALEDGEDUMMY00/",
        ),
        body,
      });
      const name = functionName.split(":function:")[1] ?? functionName;
      switch (name) {
        case "ok":
          res.writeHead(200, {
            "Content-Type": "application/json",
            "x-amzn-RequestId": "remote-req-1",
            "X-Amz-Executed-Version": "$LATEST",
            "X-Amz-Log-Result": Buffer.from("START RequestId: remote-req-1 Version: $LATEST\n").toString(
              "base64",
            ),
          });
          res.end(JSON.stringify({ echoed: JSON.parse(body) }));
          return;
        case "event":
          res.writeHead(202, { "x-amzn-RequestId": "remote-req-2" });
          res.end();
          return;
        case "fails":
          res.writeHead(200, { "X-Amz-Function-Error": "Unhandled", "x-amzn-RequestId": "remote-req-3" });
          res.end(JSON.stringify({ errorType: "Error", errorMessage: "remote failure", trace: [] }));
          return;
        case "throttled":
          lambdaError(res, 429, "TooManyRequestsException", "Rate Exceeded.");
          return;
        case "denied":
          lambdaError(
            res,
            403,
            "AccessDeniedException",
            "User is not authorized to perform: lambda:InvokeFunction",
          );
          return;
        case "hangs":
          hanging.push(res);
          return;
        default:
          lambdaError(res, 404, "ResourceNotFoundException", `Function not found: ${functionName}`);
      }
    });
    endpoint = await listen(server);
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const arn = (name: string) => `arn:aws:lambda:${REGION}:123456789012:function:${name}`;

  it("invokes with the ARN, a signed request and the payload, and returns payload, request id and log", async () => {
    const invoker = createRemoteInvoker({ endpoint, region: REGION });
    try {
      const result = await invoker.invoke(arn("ok"), JSON.stringify({ a: 1 }));
      expect(result).toMatchObject({
        payload: JSON.stringify({ echoed: { a: 1 } }),
        requestId: "remote-req-1",
      });
      expect(result.functionError).toBeUndefined();
      expect((result as { log?: string }).log).toBe("START RequestId: remote-req-1 Version: $LATEST\n");
      expect(received.at(-1)).toEqual({
        functionName: arn("ok"),
        invocationType: "RequestResponse",
        logType: "Tail",
        signed: true,
        body: '{"a":1}',
      });
    } finally {
      await invoker.close();
    }
  });

  it("sends Event invocations as Event", async () => {
    const invoker = createRemoteInvoker({ endpoint, region: REGION });
    try {
      const result = await invoker.invoke(arn("event"), "{}", { invocationType: "Event" });
      expect(result).toMatchObject({ payload: "", requestId: "remote-req-2" });
      expect(received.at(-1)?.invocationType).toBe("Event");
    } finally {
      await invoker.close();
    }
  });

  it("returns the function error and its payload", async () => {
    const invoker = createRemoteInvoker({ endpoint, region: REGION });
    try {
      const result = await invoker.invoke(arn("fails"), "{}");
      expect(result.functionError).toBe("Unhandled");
      expect(JSON.parse(result.payload)).toMatchObject({ errorMessage: "remote failure" });
    } finally {
      await invoker.close();
    }
  });

  it("turns Lambda's service errors into LambdaServiceError with their codes", async () => {
    const invoker = createRemoteInvoker({ endpoint, region: REGION });
    try {
      const cases: [string, string, number][] = [
        ["throttled", "TooManyRequestsException", 429],
        ["denied", "AccessDeniedException", 403],
        ["missing", "ResourceNotFoundException", 404],
      ];
      for (const [name, code, status] of cases) {
        const error = await invoker.invoke(arn(name), "{}").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LambdaServiceError);
        expect(error).toMatchObject({ code, status });
      }
      const missing = (await invoker.invoke(arn("missing"), "{}").catch((e: unknown) => e)) as Error;
      expect(missing.message).toBe(`Function not found: ${arn("missing")}`);
    } finally {
      await invoker.close();
    }
  });

  it("stops waiting at the deadline and reports a timeout", async () => {
    const invoker = createRemoteInvoker({ endpoint, region: REGION, random: countingRandom() });
    try {
      const result = await invoker.invoke(arn("hangs"), "{}", { deadlineMs: 300 });
      expect(result.timedOut).toBe(true);
      expect(result.functionError).toBe("Unhandled");
      expect(JSON.parse(result.payload)).toMatchObject({ errorType: "Sandbox.Timedout" });
    } finally {
      await invoker.close();
    }
  });

  it("reports an endpoint that cannot be reached as Lambda's ServiceException", async () => {
    const closed = createServer();
    const gone = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const invoker = createRemoteInvoker({ endpoint: gone, region: REGION });
    try {
      const error = await invoker.invoke(arn("ok"), "{}").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ServiceException", status: 500 });
    } finally {
      await invoker.close();
    }
  });
});

describe("against the edge's own Invoke API", () => {
  const functions = [fixture("edge-async", "async.mjs"), fixture("edge-throws", "throws.mjs")];
  const { invoker: local, logs } = testInvoker(functions);
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    const lambda = {
      functions: createRegistry(functions),
      invoker: local,
      logs,
      permissions: createPermissionTable(),
    };
    const app = lambdaRoutes({ lambda, random: countingRandom(), logger: silentLogger });
    server = createAdaptorServer({ fetch: app.fetch, autoCleanupIncoming: false }) as Server;
    endpoint = await listen(server);
  });
  afterAll(async () => {
    await local.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("round-trips a real handler's answer, error and log", async () => {
    const remote = createRemoteInvoker({ endpoint, region: REGION });
    try {
      const ok = await remote.invoke(functions[0]!.arn, JSON.stringify({ via: "remote" }));
      const payload = JSON.parse(ok.payload) as { event: unknown; context: { awsRequestId: string } };
      expect(payload.event).toEqual({ via: "remote" });
      expect(ok.requestId).toBe(payload.context.awsRequestId);
      expect((ok as { log?: string }).log).toBe(logs.messagesOf(ok.requestId).join(""));
      const failed = await remote.invoke("edge-throws", "{}");
      expect(failed.functionError).toBe("Unhandled");
      expect(JSON.parse(failed.payload)).toMatchObject({ errorMessage: "handler failure" });
    } finally {
      await remote.close();
    }
  });
});
