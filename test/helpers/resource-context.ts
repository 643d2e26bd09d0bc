// A ResourceContext for resource-handler tests: a running edge, stack svc-dev, warnings collected.

import type { RunningServer } from "../../src/edge/create-server.js";
import type { ResourceContext } from "../../src/local-deploy/types.js";

export function resourceContext(
  server: RunningServer,
  logicalId: string,
  options: { warnings?: string[]; serviceDir?: string; region?: string } = {},
): ResourceContext {
  return {
    server,
    stackName: "svc-dev",
    region: options.region ?? "us-east-1",
    accountId: "000000000000",
    logicalId,
    serviceDir: options.serviceDir ?? "/nowhere",
    warn: (message) => options.warnings?.push(message),
  };
}
