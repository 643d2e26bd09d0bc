// Routes each invocation: functions the edge knows run locally, any other ARN goes to the remote Lambda endpoint.
import type { FunctionRegistry, LambdaInvoker } from "./ports.js";

export function createCompositeInvoker(
  registry: FunctionRegistry,
  local: LambdaInvoker,
  remote: LambdaInvoker,
): LambdaInvoker {
  return {
    invoke: (arn, payload, options) => (registry.resolve(arn) ? local : remote).invoke(arn, payload, options),
    close: async () => {
      await Promise.all([local.close(), remote.close()]);
    },
  };
}
