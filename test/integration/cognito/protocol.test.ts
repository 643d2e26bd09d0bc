// The wire protocol under bad input: every answer is AWS-shaped, nothing leaks, and the server stays up.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../../helpers/server.js";

const get = useTestServer();

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  target: string | undefined,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const url = new URL(get().url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          ...(target ? { "x-amz-target": `AWSCognitoIdentityProviderService.${target}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function expectError(reply: Reply, type: string, status = 400): { __type: string; message: string } {
  expect(reply.status).toBe(status);
  expect(reply.headers["x-amzn-errortype"]).toBe(`${type}:`);
  expect(reply.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(reply.headers["content-type"]).toBe("application/x-amz-json-1.1");
  const parsed = JSON.parse(reply.body);
  expect(parsed.__type).toBe(type);
  expect(typeof parsed.message).toBe("string");
  expect(reply.headers["x-amzn-errormessage"]).toBe(parsed.message);
  expect(parsed.message).not.toMatch(/at \w+ \(|node:|\/src\//);
  return parsed;
}

async function healthy() {
  const res = await fetch(`${get().url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
}

describe("protocol", () => {
  it("answers malformed JSON with SerializationException", async () => {
    expectError(await call("ListUserPools", "{not json"), "SerializationException");
    expectError(await call("ListUserPools", "[1,2]"), "SerializationException");
    expectError(await call("ListUserPools", '"text"'), "SerializationException");
    await healthy();
  });

  it("answers wrong member types with SerializationException", async () => {
    expectError(await call("ListUserPools", JSON.stringify({ MaxResults: "ten" })), "SerializationException");
    expectError(await call("CreateUserPool", JSON.stringify({ PoolName: 42 })), "SerializationException");
    expectError(
      await call("CreateUserPool", JSON.stringify({ PoolName: "p", AutoVerifiedAttributes: "email" })),
      "SerializationException",
    );
  });

  it("reports missing and oversize members as Smithy validation errors", async () => {
    const missing = expectError(await call("CreateUserPool", "{}"), "InvalidParameterException");
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    );
    const long = expectError(
      await call("CreateUserPool", JSON.stringify({ PoolName: "p".repeat(129) })),
      "InvalidParameterException",
    );
    expect(long.message).toContain(
      "at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  it("separates unknown operations from Cognito operations it does not implement", async () => {
    const unknown = expectError(await call("MakeCoffee", "{}"), "UnknownOperationException");
    expect(unknown.message).toContain("MakeCoffee");
    expectError(await call(undefined, "{}"), "UnknownOperationException");
    const unsupported = expectError(await call("AssociateWebACL", "{}"), "UnknownOperationException");
    expect(unsupported.__type).toBe("UnknownOperationException");
    const notYet = expectError(await call("SetRiskConfiguration", "{}"), "UnsupportedOperationException");
    expect(notYet.message).toContain("SetRiskConfiguration");
    expect(notYet.message).toContain("docs/parity.md");
  });

  it("refuses a huge body without reading it whole, and stays up", async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, "a");
    const reply = await call("ListUserPools", huge);
    expectError(reply, "SerializationException", 413);
    await healthy();
  });

  it("refuses deeply nested JSON", async () => {
    const deep = `${"[".repeat(500)}${"]".repeat(500)}`;
    expectError(await call("ListUserPools", `{"MaxResults":1,"X":${deep}}`), "SerializationException");
    await healthy();
  });

  it("answers CORS preflight and exposes the error headers", async () => {
    const res = await fetch(`${get().url}/`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("x-amz-target");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-amzn-ErrorType");
  });

  it("serves health and 404s unknown GET paths as JSON", async () => {
    await healthy();
    const res = await fetch(`${get().url}/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain("/nope");
  });

  it("answers 404 for the JWKS of a pool that does not exist", async () => {
    const res = await fetch(`${get().url}/us-east-1_Nope12345/.well-known/jwks.json`);
    expect(res.status).toBe(404);
  });
});
