// The one-screen summary `package` prints: pools, their triggers and functions, resource counts, artifacts.
import type { CompileResult } from "../../compiler/compile.js";
import { userPoolLogicalId } from "../../compiler/naming.js";

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function summarize(
  result: CompileResult,
  outDir: string,
  artifacts: readonly { name: string; bytes: number }[],
): string {
  const { model, template } = result;
  const lines = [
    `Packaged service "${model.service}" (stage ${model.stage}, region ${model.region}) into ${outDir}`,
  ];

  const pools = new Map<string, { existing: boolean; triggers: string[] }>();
  for (const event of model.cognitoEvents) {
    const entry = pools.get(event.pool) ?? { existing: event.existing, triggers: [] };
    const version = event.lambdaVersion ? ` (${event.lambdaVersion})` : "";
    entry.triggers.push(`${event.trigger}${version} → ${event.functionKey}`);
    pools.set(event.pool, entry);
  }
  lines.push(`User pools: ${pools.size}`);
  for (const [pool, { existing, triggers }] of pools) {
    const how = existing ? "existing, wired by Custom::CognitoUserPool" : userPoolLogicalId(pool);
    lines.push(`  ${pool} [${how}]`);
    for (const trigger of triggers) lines.push(`    ${trigger}`);
  }

  const counts = new Map<string, number>();
  for (const resource of Object.values(template.Resources))
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  const total = Object.keys(template.Resources).length;
  lines.push(`Resources: ${total}`);
  for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`  ${type}: ${count}`);
  lines.push(`Outputs: ${Object.keys(template.Outputs).length}`);
  lines.push(`Artifacts: ${artifacts.map((a) => `${a.name} (${formatBytes(a.bytes)})`).join(", ")}`);
  if (result.warnings.length > 0) lines.push(`Warnings: ${result.warnings.length} (printed above)`);
  return `${lines.join("\n")}\n`;
}
