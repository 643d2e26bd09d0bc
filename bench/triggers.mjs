// Benchmark of Lambda triggers on the local edge: sign-ins with three triggers against none, and the
// overhead of one warm local invocation. Prints JSON lines. Run after `npm run build`: `npm run bench:triggers`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { startServer } from "../dist/edge/create-server.js";
import { createRegistry } from "../dist/lambda/registry.js";
import { createWorkerInvoker } from "../dist/lambda/worker-invoker.js";
import { cryptoRandom } from "../dist/shared/random.js";

const { values } = parseArgs({
  options: {
    "sign-ins": { type: "string", default: "1000" },
    invocations: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
  },
});
const SIGN_INS = Number(values["sign-ins"]);
const INVOCATIONS = Number(values.invocations);
const CONCURRENCY = Number(values.concurrency);
const PASSWORD = "Passw0rd!";

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const dir = mkdtempSync(join(tmpdir(), "ct-bench-triggers-"));
const handler = "export const handler = async (event) => event;\n";
for (const name of ["pre-auth", "post-auth", "pre-token", "noop"])
  writeFileSync(join(dir, `${name}.mjs`), handler);
const definition = (name) => ({
  name,
  arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  modulePath: join(dir, `${name}.mjs`),
  exportName: "handler",
  cwd: dir,
  runtime: "nodejs22.x",
  timeout: 6,
  memorySize: 256,
  environment: {},
});

async function overhead() {
  const invoker = createWorkerInvoker({
    registry: createRegistry([definition("noop")]),
    logs: { append: async () => {} },
    clock: { now: () => Date.now() },
    random: cryptoRandom,
    edgeUrl: () => undefined,
  });
  const payload = JSON.stringify({
    version: "1",
    triggerSource: "PreAuthentication_Authentication",
    request: { userAttributes: { sub: "x", email: "a@b.c" } },
    response: {},
  });
  const arn = definition("noop").arn;
  for (let i = 0; i < 200; i++) await invoker.invoke(arn, payload);
  const samples = [];
  for (let i = 0; i < INVOCATIONS; i++) {
    const start = performance.now();
    await invoker.invoke(arn, payload);
    samples.push(performance.now() - start);
  }
  await invoker.close();
  samples.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: "triggers.warm-invocation-overhead",
      invocations: INVOCATIONS,
      p50_ms: +percentile(samples, 50).toFixed(3),
      p99_ms: +percentile(samples, 99).toFixed(3),
      target_p50_ms: 1,
    }),
  );
}

async function signIns() {
  const server = await startServer({
    port: 0,
    memory: true,
    functions: ["pre-auth", "post-auth", "pre-token"].map(definition),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const call = (target, body) =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = request(
        `${server.url}/`,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
          },
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode === 200) resolve(JSON.parse(text));
            else reject(new Error(`${target}: ${text}`));
          });
        },
      );
      req.on("error", reject);
      req.end(data);
    });
  const arn = (name) => definition(name).arn;
  const results = {};
  try {
    for (const [label, lambdaConfig] of [
      ["without-triggers", undefined],
      [
        "with-3-triggers",
        {
          PreAuthentication: arn("pre-auth"),
          PostAuthentication: arn("post-auth"),
          PreTokenGeneration: arn("pre-token"),
        },
      ],
    ]) {
      const { UserPool } = await call("CreateUserPool", {
        PoolName: label,
        ...(lambdaConfig ? { LambdaConfig: lambdaConfig } : {}),
      });
      const { UserPoolClient } = await call("CreateUserPoolClient", {
        UserPoolId: UserPool.Id,
        ClientName: "c",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      });
      await call("AdminCreateUser", { UserPoolId: UserPool.Id, Username: "user", MessageAction: "SUPPRESS" });
      await call("AdminSetUserPassword", {
        UserPoolId: UserPool.Id,
        Username: "user",
        Password: PASSWORD,
        Permanent: true,
      });
      const signIn = () =>
        call("InitiateAuth", {
          ClientId: UserPoolClient.ClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "user", PASSWORD },
        });
      for (let i = 0; i < 20; i++) await signIn();
      const latencies = [];
      let errors = 0;
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < SIGN_INS) {
            const t = performance.now();
            await signIn().catch(() => errors++);
            latencies.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      latencies.sort((a, b) => a - b);
      results[label] = Math.round(SIGN_INS / seconds);
      console.log(
        JSON.stringify({
          bench: `triggers.sign-in.${label}`,
          sign_ins: SIGN_INS,
          concurrency: CONCURRENCY,
          ops_per_s: results[label],
          p50_ms: +percentile(latencies, 50).toFixed(2),
          p99_ms: +percentile(latencies, 99).toFixed(2),
          errors,
        }),
      );
    }
    console.log(
      JSON.stringify({
        bench: "triggers.sign-in.ratio",
        with_over_without: +(results["with-3-triggers"] / results["without-triggers"]).toFixed(2),
      }),
    );
  } finally {
    agent.destroy();
    await server.close();
  }
}

try {
  await overhead();
  await signIns();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
