// Benchmark: compile a large generated service in process and package it end to end; prints JSON lines.
// Run after `npm run build`: `npm run bench` (options: --runs N).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { compile } from "../dist/compiler/compile.js";
import { SERVERLESS_TRIGGERS } from "../dist/triggers/catalog.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Number(values.runs);
// Cognito allows one function per trigger and pool, and there are 12 triggers: 3,000 events need
// at least 250 pools (the 200 pools could hold only 2,400 distinct triggers).
const NEW_POOLS = 150;
const EXISTING_POOLS = 100;
const key = (pool) => `arn:aws:kms:us-east-1:123456789012:key/pool-${pool}`;

function generateService() {
  const functions = {};
  const fn = (i) => (functions[`fn-${i}`] ??= { handler: "handler.main", events: [] });
  let f = 0;
  // Existing pools: 4 functions per pool, 3 triggers each (a function may attach to one existing pool).
  for (let p = 0; p < EXISTING_POOLS; p++)
    for (let g = 0; g < 4; g++, f++)
      for (let t = 0; t < 3; t++) {
        const trigger = SERVERLESS_TRIGGERS[g * 3 + t];
        const event = { pool: `existing-${p}`, trigger, existing: true, forceDeploy: g === 0 && t === 0 };
        if (trigger.startsWith("Custom") && trigger.endsWith("Sender")) event.kmsKeyId = key(`e${p}`);
        fn(f).events.push({ cognitoUserPool: event });
      }
  // New pools: the other 600 functions, 3 triggers each, 12 per pool.
  const firstNew = f;
  for (let p = 0; p < NEW_POOLS; p++)
    for (let t = 0; t < 12; t++) {
      const trigger = SERVERLESS_TRIGGERS[t];
      const event = { pool: `new-${p}`, trigger };
      if (trigger.startsWith("Custom") && trigger.endsWith("Sender")) event.kmsKeyId = key(`n${p}`);
      fn(firstNew + Math.floor((p * 12 + t) / 3)).events.push({ cognitoUserPool: event });
    }
  return { service: "bench", provider: { name: "aws", runtime: "nodejs22.x" }, functions };
}

const config = generateService();
const events = Object.values(config.functions).reduce((n, fn) => n + fn.events.length, 0);
const clock = { now: () => 1_700_000_000_000 };
const input = { config, stage: "dev", region: "us-east-1" };
const options = { clock, artifactHashes: () => "hash" };

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (let i = 0; i < 3; i++) compile(input, options); // warm-up
const samples = [];
let resources = 0;
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  resources = Object.keys(compile(input, options).template.Resources).length;
  samples.push(performance.now() - start);
}
console.log(
  JSON.stringify({
    bench: "compile.in-process",
    functions: Object.keys(config.functions).length,
    events,
    pools: NEW_POOLS + EXISTING_POOLS,
    resources,
    runs: RUNS,
    median_ms: +median(samples).toFixed(2),
    min_ms: +Math.min(...samples).toFixed(2),
    target_ms: 100,
  }),
);

const dir = mkdtempSync(join(tmpdir(), "ct-bench-"));
try {
  writeFileSync(join(dir, "serverless.yml"), stringify(config));
  writeFileSync(join(dir, "handler.js"), "export const main = async (event) => event;\n");
  const bin = new URL("../dist/cli/bin.js", import.meta.url).pathname;
  const e2e = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    const start = performance.now();
    execFileSync(process.execPath, [bin, "package", "--out", join(dir, "out")], {
      cwd: dir,
      stdio: "ignore",
    });
    e2e.push(performance.now() - start);
  }
  console.log(
    JSON.stringify({
      bench: "package.end-to-end",
      functions: Object.keys(config.functions).length,
      events,
      runs: e2e.length,
      median_ms: +median(e2e).toFixed(1),
      min_ms: +Math.min(...e2e).toFixed(1),
      target_ms: 1000,
    }),
  );
  // Baseline: a process that only starts Node and loads the CLI, to separate start-up from work.
  const idle = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    execFileSync(process.execPath, [bin, "--version"], { stdio: "ignore" });
    idle.push(performance.now() - start);
  }
  console.log(
    JSON.stringify({ bench: "baseline.cli-startup", runs: idle.length, median_ms: +median(idle).toFixed(1) }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
