// The local Lambda runtime's ports: functions, invokers, and where invocation logs go.

/** A function the local edge can run: from a serverless.yml (`serve --functions`) or a deployed template. */
export interface FunctionDefinition {
  /** Deployed name (`<service>-<stage>-<key>` or `name:`), the part of the ARN after `function:`. */
  name: string;
  arn: string;
  /** Absolute path of the handler's module file (.js, .mjs, .cjs, .ts, .mts) and the exported name. */
  modulePath: string;
  exportName: string;
  /** Directory the handler runs in (its service directory). */
  cwd: string;
  runtime: string;
  /** Seconds (Lambda's own limit, default 6 as Serverless). */
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  /** Changes when the code on disk changed (`up --watch`): warm workers of an older version retire. */
  codeVersion?: string | undefined;
}

export interface FunctionRegistry {
  /** By name, by unqualified ARN, or by ARN with a qualifier (`:alias`, `:$LATEST`). */
  resolve(nameOrArn: string): FunctionDefinition | undefined;
  list(): FunctionDefinition[];
}

export interface InvokeOptions {
  /** `Event` returns as soon as the invocation is queued (custom senders). */
  invocationType?: "RequestResponse" | "Event" | undefined;
  /**
   * The caller gives up after this many ms (Cognito: 5,000); a local handler still running then is
   * stopped and its worker replaced. Absent: the function's own timeout.
   */
  deadlineMs?: number | undefined;
}

/** What the Lambda Invoke API answers: the payload, and `functionError` when the handler failed. */
export interface InvokeResult {
  /** The response payload (JSON text), or Lambda's error object `{errorType, errorMessage, trace}`. */
  payload: string;
  /** "Unhandled" when the handler threw, timed out or crashed. */
  functionError?: "Unhandled" | "Handled" | undefined;
  /** True when the deadline passed before the handler answered. */
  timedOut?: boolean | undefined;
  requestId: string;
  durationMs: number;
}

/** Lambda service errors (not handler errors): the function does not exist, is not permitted, is throttled. */
export class LambdaServiceError extends Error {
  constructor(
    /** Lambda's error code: ResourceNotFoundException, AccessDeniedException, TooManyRequestsException, ... */
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export interface LambdaInvoker {
  invoke(functionArn: string, payload: string, options?: InvokeOptions): Promise<InvokeResult>;
  /** Stops workers and sockets. */
  close(): Promise<void>;
}

/** One CloudWatch-style log event. */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** Where invocation output goes: `/aws/lambda/<function name>` groups, one stream per worker. */
export interface LogSink {
  append(group: string, stream: string, events: readonly LogEvent[]): Promise<void>;
}
