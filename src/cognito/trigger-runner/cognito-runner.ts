// The trigger runner Cognito is: finds the pool's function, invokes it with Cognito's deadline and retries, reads its answer.
import type { EncryptCodeOptions } from "../../kms/encrypt-code.js";
import type { PermissionTable } from "../../lambda/permissions.js";
import type { InvokeResult, LambdaInvoker } from "../../lambda/ports.js";
import { LambdaServiceError } from "../../lambda/ports.js";
import type { Clock } from "../../shared/clock.js";
import { systemClock } from "../../shared/clock.js";
import type { Logger } from "../../shared/logger.js";
import { silentLogger } from "../../shared/logger.js";
import { invocationFailed, responseOf, timedOut } from "./failures.js";
import { functionArnFor } from "./lambda-config.js";
import type { TriggerCall, TriggerRunner } from "./port.js";

/** Cognito waits this long for each synchronous attempt; it is not configurable on AWS. */
export const COGNITO_DEADLINE_MS = 5_000;
/** Attempts in all before a slow function fails the call. */
export const COGNITO_ATTEMPTS = 3;

/** How a custom sender's code is encrypted (default: src/kms/encrypt-code.ts, through the edge's KMS API). */
export type EncryptCode = (input: EncryptCodeOptions) => Promise<string>;

export interface CognitoRunnerOptions {
  invoker: LambdaInvoker;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  /** Per-attempt deadline (default Cognito's 5,000 ms; tests use less). */
  deadlineMs?: number | undefined;
  /** Attempts before a timeout is final (default 3). */
  attempts?: number | undefined;
  /** Custom senders: the edge's URL (its KMS API) and Region; without the URL codes are not encrypted. */
  edgeUrl?: (() => string | undefined) | undefined;
  region?: string | undefined;
  encryptCode?: EncryptCode | undefined;
  /**
   * Functions' resource-based policies: Cognito may invoke an enforced function only with a statement
   * for `cognito-idp.amazonaws.com` matching the pool's ARN. Absent: every invocation is allowed.
   */
  permissions?: PermissionTable | undefined;
  /** Account id of the pool ARNs the policies are matched against (default 000000000000). */
  accountId?: string | undefined;
}

/** Cognito's service principal in Lambda policies. */
export const COGNITO_PRINCIPAL = "cognito-idp.amazonaws.com";

/**
 * A local invoker enforces the deadline itself (and replaces the worker); this margin lets it answer
 * first, and only an invoker that never answers (a remote endpoint that hangs) is cut off here.
 */
const MARGIN_MS = 250;

const TIMEOUT = Symbol("timeout");

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function createCognitoRunner(options: CognitoRunnerOptions): TriggerRunner {
  const { invoker } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const deadlineMs = options.deadlineMs ?? COGNITO_DEADLINE_MS;
  const attempts = Math.max(1, options.attempts ?? COGNITO_ATTEMPTS);

  /** Lambda's refusal when the function's policy does not let this pool invoke it (checked before any attempt). */
  const refusal = (call: TriggerCall, arn: string): LambdaServiceError | undefined => {
    const { permissions } = options;
    if (!permissions) return undefined;
    const region =
      typeof call.event.region === "string" ? call.event.region : (options.region ?? "us-east-1");
    const poolArn = `arn:aws:cognito-idp:${region}:${options.accountId ?? "000000000000"}:userpool/${String(call.event.userPoolId)}`;
    if (permissions.allows(arn, COGNITO_PRINCIPAL, poolArn)) return undefined;
    return new LambdaServiceError(
      "AccessDeniedException",
      `The principal ${COGNITO_PRINCIPAL} is not authorized to invoke ${arn} from ${poolArn}`,
      403,
    );
  };

  const fields = (call: TriggerCall, arn: string) => ({
    trigger: call.trigger,
    triggerSource: call.event.triggerSource,
    function: arn,
  });

  async function invoke(call: TriggerCall): Promise<Record<string, unknown> | undefined> {
    const arn = functionArnFor(call.trigger, call.lambdaConfig);
    if (!arn) return undefined;
    const version = typeof call.event.version === "string" ? call.event.version : "1";
    const payload = JSON.stringify(call.event);
    const denied = refusal(call, arn);
    if (denied) {
      logger.warn("trigger not permitted", { ...fields(call, arn), error: denied.message });
      throw invocationFailed(call.trigger, denied);
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = clock.now();
      let result: InvokeResult | typeof TIMEOUT;
      try {
        const pending = invoker.invoke(arn, payload, { invocationType: "RequestResponse", deadlineMs });
        // An attempt given up on may still settle later; its outcome no longer matters.
        pending.catch(() => {});
        result = await withDeadline(pending, deadlineMs + Math.min(MARGIN_MS, deadlineMs));
      } catch (error) {
        logger.warn("trigger invocation failed", { ...fields(call, arn), error: String(error) });
        throw invocationFailed(call.trigger, error);
      }
      if (result === TIMEOUT || result.timedOut) {
        logger.warn("trigger timed out", { ...fields(call, arn), attempt, deadlineMs });
        continue;
      }
      logger.debug("trigger invoked", {
        ...fields(call, arn),
        requestId: result.requestId,
        durationMs: clock.now() - started,
        ...(result.functionError ? { functionError: result.functionError } : {}),
      });
      return responseOf(call.trigger, version, result);
    }
    throw timedOut(call.trigger);
  }

  function invokeAsync(call: TriggerCall): void {
    const arn = functionArnFor(call.trigger, call.lambdaConfig);
    if (!arn) return;
    let pending: Promise<InvokeResult>;
    const denied = refusal(call, arn);
    try {
      if (denied) throw denied;
      pending = invoker.invoke(arn, JSON.stringify(call.event), { invocationType: "Event" });
    } catch (error) {
      pending = Promise.reject(error);
    }
    // Cognito ignores a custom sender's failure: the API call has already succeeded.
    pending.then(
      (result) => {
        if (result.functionError)
          logger.warn("custom sender failed", { ...fields(call, arn), payload: result.payload });
      },
      (error: unknown) =>
        logger.warn("custom sender not invoked", { ...fields(call, arn), error: String(error) }),
    );
  }

  const runner: TriggerRunner = { invoke, invokeAsync };
  const { edgeUrl } = options;
  if (edgeUrl) {
    runner.encryptCode = async ({ keyId, plaintext, userPoolId }) => {
      const url = edgeUrl();
      if (!url) throw new Error("the edge's URL is not known yet");
      // Loaded on first use: the Encryption SDK is heavy, and most pools have no custom sender.
      const kms = await import("../../kms/encrypt-code.js");
      const encrypt = options.encryptCode ?? kms.encryptCode;
      return encrypt({
        edgeUrl: url,
        region: options.region ?? "us-east-1",
        keyId,
        plaintext,
        context: kms.cognitoCodeContext(userPoolId),
      });
    };
  }
  return runner;
}
