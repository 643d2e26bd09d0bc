// Runs bench/server.mjs of a baseline checkout and of this one, one after the other on the same machine,
// and prints every figure side by side as JSON lines (`change` is after/before - 1; for latencies, lower is better).
// Usage: node bench/compare.mjs --baseline <dir of a built checkout> [--database-url postgres://... --baseline-database-url
// postgres://... (an empty database for each)] [-- bench args]
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    baseline: { type: "string" },
    "database-url": { type: "string" },
    "baseline-database-url": { type: "string" },
  },
  allowPositionals: true,
});
if (!values.baseline) {
  console.error("usage: node bench/compare.mjs --baseline <dir> [--database-url url] [-- bench args]");
  process.exit(2);
}
/** Each side on its own database: the second run must not find the first one's 100,000 users there. */
const argsFor = (url) => [...positionals, ...(url ? ["--database-url", url] : [])];

/** The JSON lines one run printed, keyed by bench name and tags. */
function run(root, args) {
  const out = spawnSync(process.execPath, [resolve(root, "bench/server.mjs"), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`${root}: bench/server.mjs exited ${out.status}`);
  const lines = new Map();
  for (const text of out.stdout.split("\n")) {
    if (!text.startsWith("{")) continue;
    const line = JSON.parse(text);
    lines.set(`${line.bench}|${line.store}|${line.instances}`, line);
  }
  return lines;
}

const before = run(values.baseline, argsFor(values["baseline-database-url"] ?? values["database-url"]));
const after = run(resolve(import.meta.dirname, ".."), argsFor(values["database-url"]));
const FIGURES = [
  "signup_confirm_per_s",
  "initiate_auth_per_s",
  "get_user_per_s",
  "list_users_per_s",
  "ops_per_s",
  "p50_ms",
  "p99_ms",
  "ms",
  "idle_rss_mb",
  "rss_mb",
  "errors",
];
for (const [key, a] of after) {
  const b = before.get(key);
  if (!b) continue;
  const row = { bench: a.bench, store: a.store, instances: a.instances };
  for (const figure of FIGURES) {
    if (typeof a[figure] !== "number" || typeof b[figure] !== "number") continue;
    row[figure] = {
      before: b[figure],
      after: a[figure],
      change: b[figure] ? +(a[figure] / b[figure] - 1).toFixed(3) : null,
    };
  }
  if (Object.keys(row).length > 3) console.log(JSON.stringify(row));
}
