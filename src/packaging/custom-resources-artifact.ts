// Builds custom-resources.zip: our Custom::CognitoUserPool handler bundled as cognito-user-pool/handler.mjs.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleHandler } from "./bundle.js";
import { createZip } from "./zip.js";

/** The handler source next to this build: `.js` when running from dist/, `.ts` when running from src/. */
export function customResourceEntry(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "custom-resource");
  for (const candidate of ["handler.js", "handler.ts"]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`custom-resource handler not found in ${dir}`);
}

export async function buildCustomResourcesZip(): Promise<Uint8Array> {
  const entry = customResourceEntry();
  const code = await bundleHandler({ entry, resolveDir: dirname(entry) });
  return createZip([{ name: "cognito-user-pool/handler.mjs", data: code }]);
}
