// The edge's own cost per request, baseline build against this one: wrk drives `serve --memory` of each with
// requests that touch no store (GET /health, and an AWS JSON call refused by the router), rounds alternating.
// Usage (after `npm run build`, with wrk installed): node bench/edge.mjs --baseline <dir of a built checkout>
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
  },
});
if (!values.baseline) {
  console.error("usage: node bench/edge.mjs --baseline <dir> [--seconds 5] [--rounds 3] [--connections 32]");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "ct-bench-edge-"));
const json = join(dir, "json.lua");
// A well-formed Cognito call the router answers itself: target lookup, body read, JSON error written.
writeFileSync(
  json,
  `wrk.method = "POST"
wrk.body = '{"UserPoolId":"us-east-1_bench"}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.NoSuchOperation"
`,
);

function serve(root) {
  const child = spawn(
    process.execPath,
    [resolve(root, "dist/cli/bin.js"), "serve", "--memory", "--port", "0", "--log-level", "error"],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  return new Promise((resolveUrl, reject) => {
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolveUrl({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${text}`)));
  });
}

function wrk(url, script) {
  const args = [
    "-t",
    "1",
    "-c",
    values.connections,
    "-d",
    `${values.seconds}s`,
    ...(script ? ["-s", script] : []),
    url,
  ];
  const out = spawnSync("wrk", args, { encoding: "utf8" });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout);
  if (!match) throw new Error(`wrk: ${out.stderr || out.stdout}`);
  return Number(match[1]);
}

const builds = { before: values.baseline, after: resolve(import.meta.dirname, "..") };
const totals = { before: { health: [], json: [] }, after: { health: [], json: [] } };
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, root] of Object.entries(builds)) {
      const { child, url } = await serve(root);
      try {
        wrk(`${url}/health`); // warm-up
        totals[name].health.push(wrk(`${url}/health`));
        totals[name].json.push(wrk(`${url}/`, json));
      } finally {
        child.kill("SIGTERM");
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const kind of ["health", "json"]) {
  const before = median(totals.before[kind]);
  const after = median(totals.after[kind]);
  console.log(
    JSON.stringify({
      bench: `edge.${kind}`,
      requests_per_s: { before, after, change: +(after / before - 1).toFixed(3) },
    }),
  );
}
