// Invokes functions through the AWS Lambda Invoke API at an endpoint: SAM local, serverless-offline, LocalStack or AWS itself.
import { InvokeCommand, LambdaClient, LambdaServiceException } from "@aws-sdk/client-lambda";
import type { Random } from "../shared/random.js";
import { cryptoRandom } from "../shared/random.js";
import type { InvokeResultWithLog } from "./lambda-format.js";
import { timeoutError } from "./lambda-format.js";
import { type InvokeOptions, type LambdaInvoker, LambdaServiceError } from "./ports.js";

export interface RemoteInvokerOptions {
  /** `http://127.0.0.1:3001` (sam local start-lambda), `https://lambda.eu-west-1.amazonaws.com`, ... */
  endpoint: string;
  region: string;
  /**
   * Absent: dummy credentials for a loopback endpoint (local emulators accept any), the SDK's
   * default chain (environment, profile, SSO...) for any other.
   */
  credentials?:
    | { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }
    | undefined;
  /** Request ids of invocations that never got one from the endpoint (it did not answer in time). */
  random?: Pick<Random, "uuid"> | undefined;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export function createRemoteInvoker(options: RemoteInvokerOptions): LambdaInvoker {
  const random = options.random ?? cryptoRandom;
  const host = new URL(options.endpoint).hostname;
  const credentials =
    options.credentials ??
    (LOOPBACK_HOSTS.has(host)
      ? { accessKeyId: "AKIALOCALEDGEDUMMY00", secretAccessKey: "local" }
      : undefined);
  const client = new LambdaClient({
    endpoint: options.endpoint,
    region: options.region,
    ...(credentials ? { credentials } : {}),
    // Retrying is the trigger runner's business (Cognito's three attempts), never the SDK's.
    maxAttempts: 1,
  });

  return {
    async invoke(functionArn: string, payload: string, invokeOptions: InvokeOptions = {}) {
      const started = performance.now();
      const controller = new AbortController();
      const timer =
        invokeOptions.deadlineMs === undefined
          ? undefined
          : setTimeout(() => controller.abort(), invokeOptions.deadlineMs);
      try {
        const output = await client.send(
          new InvokeCommand({
            FunctionName: functionArn,
            Payload: Buffer.from(payload, "utf8"),
            InvocationType: invokeOptions.invocationType ?? "RequestResponse",
            LogType: invokeOptions.invocationType === "Event" ? undefined : "Tail",
          }),
          { abortSignal: controller.signal },
        );
        const result: InvokeResultWithLog = {
          payload: output.Payload ? Buffer.from(output.Payload).toString("utf8") : "",
          functionError: functionErrorOf(output.FunctionError),
          requestId: output.$metadata.requestId ?? random.uuid(),
          durationMs: performance.now() - started,
          log: output.LogResult ? Buffer.from(output.LogResult, "base64").toString("utf8") : undefined,
        };
        return result;
      } catch (error) {
        if (controller.signal.aborted) {
          // The function may still be running remotely: the caller only stops waiting, as Cognito does.
          const requestId = random.uuid();
          const elapsed = performance.now() - started;
          return {
            payload: JSON.stringify(timeoutError(requestId, elapsed)),
            functionError: "Unhandled",
            timedOut: true,
            requestId,
            durationMs: elapsed,
          };
        }
        throw toServiceError(error);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      client.destroy();
    },
  };
}

function functionErrorOf(value: string | undefined): "Unhandled" | "Handled" | undefined {
  if (value === undefined || value === "") return undefined;
  return value === "Handled" ? "Handled" : "Unhandled";
}

/** Lambda's own errors keep their code; an endpoint that cannot be reached is Lambda's ServiceException. */
function toServiceError(error: unknown): LambdaServiceError {
  if (error instanceof LambdaServiceException) {
    const status = error.$metadata.httpStatusCode ?? (error.$fault === "server" ? 500 : 400);
    return new LambdaServiceError(error.name, error.message, status);
  }
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.$metadata?.httpStatusCode !== undefined && e.name)
    return new LambdaServiceError(e.name, e.message ?? e.name, e.$metadata.httpStatusCode);
  return new LambdaServiceError(
    "ServiceException",
    `The Lambda endpoint could not be reached: ${e?.message ?? String(error)}`,
    500,
  );
}
