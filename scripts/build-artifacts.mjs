// Post-build step: makes the built CLI executable (tsc does not keep the mode of bin.ts).
import { chmodSync } from "node:fs";

chmodSync(new URL("../dist/cli/bin.js", import.meta.url), 0o755);
