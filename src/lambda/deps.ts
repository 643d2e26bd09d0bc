// What the edge hands the Lambda service: its functions, invoker, log sink and permission table.
import type { PermissionTable } from "./permissions.js";
import type { FunctionRegistry, LambdaInvoker, LogSink } from "./ports.js";

/** The local Lambda runtime: the functions the edge runs and how it invokes them. */
export interface LambdaDeps {
  functions: FunctionRegistry;
  invoker: LambdaInvoker;
  logs: LogSink;
  /** Resource-based policies; Cognito's invocations of enforced functions are checked against them. */
  permissions: PermissionTable;
}
