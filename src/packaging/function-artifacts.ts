// Builds the code zips a compiled service references: the service (or per-function) artifact and custom-resources.zip.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { artifactPlan } from "../compiler/functions.js";
import { asObject } from "../compiler/json.js";
import type { FunctionModel, ServiceModel } from "../compiler/model.js";
import { bundleHandler } from "./bundle.js";
import { collectServiceFiles } from "./service-artifact.js";
import { createZip, type ZipEntry } from "./zip.js";

export interface BuiltArtifact {
  name: string;
  data: Uint8Array;
  functions: string[];
}

const JS_EXTENSIONS = [".js", ".mjs", ".cjs"];
const TS_EXTENSIONS = [".ts", ".mts"];

/** `src/handlers/pre-sign-up.handler` → `src/handlers/pre-sign-up`. */
export function handlerModule(handler: string): string {
  const dot = handler.lastIndexOf(".");
  return dot > 0 ? handler.slice(0, dot) : handler;
}

/** A TypeScript handler becomes `<module>.mjs` in the zip; JavaScript handlers ship as they are. */
async function handlerBundle(serviceDir: string, fn: FunctionModel): Promise<ZipEntry | undefined> {
  if (typeof fn.config.handler !== "string") return undefined;
  const module = handlerModule(fn.config.handler);
  if (JS_EXTENSIONS.some((ext) => existsSync(join(serviceDir, module + ext)))) return undefined;
  const source = TS_EXTENSIONS.map((ext) => module + ext).find((file) => existsSync(join(serviceDir, file)));
  if (!source) return undefined;
  return {
    name: `${module}.mjs`,
    data: await bundleHandler({ entry: join(serviceDir, source), resolveDir: serviceDir }),
  };
}

function patternsOf(config: { [key: string]: unknown } | undefined): string[] {
  const patterns = asObject((config?.package ?? undefined) as never)?.patterns;
  return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === "string") : [];
}

export async function buildFunctionArtifacts(
  serviceDir: string,
  model: ServiceModel,
): Promise<BuiltArtifact[]> {
  const plan = artifactPlan(model);
  const servicePatterns = patternsOf({ package: model.package });
  const groups = new Map<string, FunctionModel[]>();
  for (const fn of model.functions) {
    const name = plan.artifactName(fn);
    groups.set(name, [...(groups.get(name) ?? []), fn]);
  }
  const built: BuiltArtifact[] = [];
  for (const [name, functions] of groups) {
    const patterns = [...servicePatterns, ...functions.flatMap((fn) => patternsOf(fn.config))];
    const entries = await collectServiceFiles(serviceDir, patterns);
    for (const fn of functions) {
      const bundle = await handlerBundle(serviceDir, fn);
      if (bundle && !entries.some((e) => e.name === bundle.name)) entries.push(bundle);
    }
    built.push({ name, data: createZip(entries), functions: functions.map((fn) => fn.key) });
  }
  return built;
}
