// Bundles TypeScript handlers (and our own custom-resource handler) into one ESM file each, as Lambda's Node runtime needs.

export interface BundleOptions {
  entry: string;
  /** Directory that relative imports and node_modules are resolved from. */
  resolveDir: string;
}

/**
 * One self-contained `.mjs`: the AWS SDK v3 stays external because every Lambda Node runtime
 * ships it, and the bundle is deterministic (no timestamps, no absolute paths in the output).
 */
export async function bundleHandler({ entry, resolveDir }: BundleOptions): Promise<Uint8Array> {
  // Loaded on demand: most packagings have no TypeScript handler and esbuild is costly to load.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: resolveDir,
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["@aws-sdk/*", "@smithy/*"],
    legalComments: "none",
    sourcemap: false,
    logLevel: "silent",
    banner: {
      // ESM bundles of CommonJS dependencies need require(); Lambda's ESM loader does not provide it.
      js: 'import { createRequire as __ctCreateRequire } from "node:module"; const require = __ctCreateRequire(import.meta.url);',
    },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.contents;
}
