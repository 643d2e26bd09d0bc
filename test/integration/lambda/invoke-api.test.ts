// The edge's Lambda Invoke API through @aws-sdk/client-lambda and the AWS CLI v2, over real local functions.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPermissionTable } from "../../../src/lambda/permissions.js";
import { createRegistry } from "../../../src/lambda/registry.js";
import { lambdaRoutes } from "../../../src/lambda/routes.js";
import { silentLogger } from "../../../src/shared/logger.js";
import { ACCOUNT, countingRandom, fixture, REGION, testInvoker } from "./helpers.js";

const run = promisify(execFile);
const functions = [
  fixture("api-async", "async.mjs"),
  fixture("api-logs", "logs.mjs"),
  fixture("api-throws", "throws.mjs"),
  fixture("api-hangs", "hangs.mjs", "handler", { timeout: 1 }),
];

let server: Server;
let url: string;
let client: LambdaClient;
const { invoker, logs } = testInvoker(functions);

beforeAll(async () => {
  const random = countingRandom();
  const lambda = {
    functions: createRegistry(functions),
    invoker,
    logs,
    permissions: createPermissionTable(),
  };
  const app = lambdaRoutes({
    lambda,
    random,
    logger: silentLogger,
    config: { region: REGION, accountId: ACCOUNT },
  });
  server = createAdaptorServer({ fetch: app.fetch, autoCleanupIncoming: false }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new LambdaClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await invoker.close();
  await new Promise((resolve) => server.close(resolve));
});

const text = (payload: Uint8Array | undefined): string => Buffer.from(payload ?? []).toString("utf8");

describe("through @aws-sdk/client-lambda", () => {
  it("invokes by name and returns the payload, executed version and request id", async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: "api-async", Payload: Buffer.from(JSON.stringify({ hi: 1 })) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe("$LATEST");
    expect(out.FunctionError).toBeUndefined();
    const payload = JSON.parse(text(out.Payload)) as { event: unknown; context: { awsRequestId: string } };
    expect(payload.event).toEqual({ hi: 1 });
    expect(out.$metadata.requestId).toBe(payload.context.awsRequestId);
  });

  it("invokes by ARN, by qualified ARN and with a Qualifier", async () => {
    const arn = functions[0]!.arn;
    for (const input of [
      { FunctionName: arn },
      { FunctionName: `${arn}:live` },
      { FunctionName: "api-async", Qualifier: "$LATEST" },
    ]) {
      const out = await client.send(new InvokeCommand({ ...input, Payload: Buffer.from("{}") }));
      expect(out.StatusCode).toBe(200);
    }
    const qualified = await client.send(new InvokeCommand({ FunctionName: `${arn}:live` }));
    expect(
      (JSON.parse(text(qualified.Payload)) as { context: { invokedFunctionArn: string } }).context
        .invokedFunctionArn,
    ).toBe(`${arn}:live`);
  });

  it("passes an empty payload as {}", async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: "api-async" }));
    expect((JSON.parse(text(out.Payload)) as { event: unknown }).event).toEqual({});
  });

  it("returns X-Amz-Function-Error and Lambda's error payload when the handler throws", async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: "api-throws", Payload: Buffer.from("{}") }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(out.Payload))).toMatchObject({
      errorType: "Error",
      errorMessage: "handler failure",
    });
  });

  it("returns a timed-out invocation as a function error", async () => {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: "api-hangs",
        Payload: Buffer.from(JSON.stringify({ mode: "busy" })),
      }),
    );
    expect(out.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(out.Payload))).toMatchObject({ errorType: "Sandbox.Timedout" });
  });

  it("tails the log with LogType Tail", async () => {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: "api-logs",
        LogType: "Tail",
        Payload: Buffer.from('{"name":"tail"}'),
      }),
    );
    const log = Buffer.from(out.LogResult ?? "", "base64").toString("utf8");
    const id = out.$metadata.requestId;
    expect(log).toContain(`START RequestId: ${id} Version: $LATEST\n`);
    expect(log).toContain(`\t${id}\tINFO\thello tail\n`);
    expect(log).toMatch(new RegExp(`REPORT RequestId: ${id}\\tDuration: `));
    expect(log).toBe(logs.messagesOf(id!).join(""));
    const plain = await client.send(
      new InvokeCommand({ FunctionName: "api-logs", Payload: Buffer.from("{}") }),
    );
    expect(plain.LogResult).toBeUndefined();
  });

  it("answers Event with 202 and DryRun with 204", async () => {
    const event = await client.send(
      new InvokeCommand({
        FunctionName: "api-logs",
        InvocationType: "Event",
        Payload: Buffer.from('{"name":"ev"}'),
      }),
    );
    expect(event.StatusCode).toBe(202);
    expect(text(event.Payload)).toBe("");
    await logs.reported(event.$metadata.requestId!);
    expect(logs.messagesOf(event.$metadata.requestId!).join("")).toContain("\tINFO\thello ev\n");
    const dry = await client.send(new InvokeCommand({ FunctionName: "api-async", InvocationType: "DryRun" }));
    expect(dry.StatusCode).toBe(204);
  });

  it("throws ResourceNotFoundException with Lambda's message for an unknown function", async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: "missing" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:missing`,
      Type: "User",
      $metadata: { httpStatusCode: 404 },
    });
    const byArn = await client
      .send(
        new InvokeCommand({
          FunctionName: "arn:aws:lambda:us-east-1:111122223333:function:x",
          Qualifier: "v1",
        }),
      )
      .catch((e: unknown) => e);
    expect(byArn).toMatchObject({
      message: "Function not found: arn:aws:lambda:us-east-1:111122223333:function:x:v1",
    });
  });

  it("refuses a payload that is not JSON", async () => {
    const error = await client
      .send(new InvokeCommand({ FunctionName: "api-async", Payload: Buffer.from("not json") }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "InvalidRequestContentException",
      message: expect.stringMatching(/^Could not parse request body into json: /),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("refuses a payload over Lambda's 6 MB limit", async () => {
    const big = Buffer.from(JSON.stringify({ blob: "x".repeat(6 * 1024 * 1024) }));
    const error = await client
      .send(new InvokeCommand({ FunctionName: "api-async", Payload: big }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "RequestTooLargeException",
      message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
      $metadata: { httpStatusCode: 413 },
    });
  });

  it("leaves other paths to the rest of the server", async () => {
    const response = await fetch(`${url}/2015-03-31/functions`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("404 Not Found");
  });
});

describe("through the AWS CLI v2", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lambda-cli-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cli = (args: string[]) =>
    run("/usr/bin/aws", [...args, "--endpoint-url", url, "--region", REGION, "--output", "json"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        AWS_ACCESS_KEY_ID: "AKIDLOCAL",
        AWS_SECRET_ACCESS_KEY: "local-secret",
        AWS_PAGER: "",
      },
    });

  it("aws lambda invoke writes the payload and reports status, version and tailed log", async () => {
    const outfile = join(dir, "out.json");
    const { stdout } = await cli([
      "lambda",
      "invoke",
      "--function-name",
      "api-logs",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      '{"name":"cli"}',
      "--log-type",
      "Tail",
      outfile,
    ]);
    const summary = JSON.parse(stdout) as { StatusCode: number; ExecutedVersion: string; LogResult: string };
    expect(summary.StatusCode).toBe(200);
    expect(summary.ExecutedVersion).toBe("$LATEST");
    expect(Buffer.from(summary.LogResult, "base64").toString("utf8")).toContain("\tINFO\thello cli\n");
    expect(JSON.parse(await readFile(outfile, "utf8"))).toBe("logged");
  });

  it("reports FunctionError for a failing handler", async () => {
    const outfile = join(dir, "error.json");
    const { stdout } = await cli(["lambda", "invoke", "--function-name", functions[2]!.arn, outfile]);
    expect(JSON.parse(stdout)).toMatchObject({ StatusCode: 200, FunctionError: "Unhandled" });
    expect(JSON.parse(await readFile(outfile, "utf8"))).toMatchObject({ errorMessage: "handler failure" });
  });

  it("shows Lambda's not-found error", async () => {
    const error = await cli(["lambda", "invoke", "--function-name", "missing", join(dir, "x.json")]).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((error as { code: number }).code).not.toBe(0);
    expect((error as { stderr: string }).stderr).toContain(
      `An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:missing`,
    );
  });
});
