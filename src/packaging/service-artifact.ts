// Collects a service's files for its code artifact, honouring Serverless's default excludes and `package.patterns`.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";
import type { ZipEntry } from "./zip.js";

/** What Serverless never ships, plus our own output directory. */
export const DEFAULT_EXCLUDES = [
  ".git/**",
  ".gitignore",
  ".DS_Store",
  "npm-debug.log",
  ".serverless/**",
  ".serverless_plugins/**",
  ".cognito-triggers/**",
  "serverless.yml",
  "serverless.yaml",
  "serverless.json",
];

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join("/");
    // Our own output and VCS data can be large; skip them before descending.
    if (entry.isDirectory()) {
      if (rel === ".git" || rel === ".cognito-triggers" || rel === ".serverless") continue;
      await walk(root, full, out);
    } else if (entry.isFile()) out.push(rel);
  }
}

/**
 * Applies patterns in order as Serverless does: a plain pattern includes, a `!pattern` excludes,
 * and later patterns override earlier ones.
 */
export function selectFiles(
  files: readonly string[],
  patterns: readonly string[],
  devDependencies: readonly string[],
): string[] {
  const ordered = [
    ...DEFAULT_EXCLUDES.map((p) => `!${p}`),
    ...devDependencies.map((name) => `!node_modules/${name}/**`),
    ...patterns,
  ].map((pattern) => {
    const exclude = pattern.startsWith("!");
    return { exclude, match: picomatch(exclude ? pattern.slice(1) : pattern, { dot: true }) };
  });
  return files.filter((file) => {
    let included = true;
    for (const rule of ordered) if (rule.match(file)) included = !rule.exclude;
    return included;
  });
}

export async function collectServiceFiles(
  serviceDir: string,
  patterns: readonly string[],
): Promise<ZipEntry[]> {
  const all: string[] = [];
  await walk(serviceDir, serviceDir, all);
  let devDependencies: string[] = [];
  try {
    const pkg = JSON.parse(await readFile(join(serviceDir, "package.json"), "utf8")) as {
      devDependencies?: Record<string, string>;
    };
    devDependencies = Object.keys(pkg.devDependencies ?? {});
  } catch {
    // No package.json: nothing to leave out.
  }
  const selected = selectFiles(all, patterns, devDependencies);
  return Promise.all(
    selected.map(async (name) => {
      const full = join(serviceDir, name);
      const [data, info] = await Promise.all([readFile(full), stat(full)]);
      return { name, data, mode: info.mode & 0o777 };
    }),
  );
}
