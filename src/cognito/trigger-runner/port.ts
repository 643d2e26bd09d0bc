// The trigger-runner port: every point where Cognito would invoke a Lambda trigger calls it.

/** A trigger invocation: the LambdaConfig slot, the event Cognito would send, and the pool's config. */
export interface TriggerCall {
  /** LambdaConfig key: PreSignUp, PostConfirmation, PreAuthentication, ... */
  trigger: string;
  /** The full event (version, triggerSource, region, userPoolId, userName, callerContext, request, response). */
  event: Record<string, unknown>;
  /** The pool's LambdaConfig, to find the function ARN. */
  lambdaConfig: Record<string, unknown> | undefined;
}

export interface TriggerRunner {
  /**
   * Invokes the trigger if the pool configures it and returns the handler's `response` object;
   * returns undefined when no function is configured. Failures throw the CognitoError Cognito
   * would return (UserLambdaValidationException, UnexpectedLambdaException, InvalidLambdaResponseException).
   */
  invoke(call: TriggerCall): Promise<Record<string, unknown> | undefined>;
  /** Custom senders: fire and forget, failures ignored as Cognito ignores them. */
  invokeAsync(call: TriggerCall): void;
  /**
   * A custom sender's `request.code`: the code encrypted with the AWS Encryption SDK under the pool's
   * `KMSKeyID`, base64, as Cognito sends it. Absent on runners that run no handlers (tests' scripted
   * runners); the event then carries `code: null`.
   */
  encryptCode?(input: { keyId: string; plaintext: string; userPoolId: string }): Promise<string>;
}

/** Until the triggers issue: no trigger ever runs, every flow takes Cognito's default path. */
export const noTriggers: TriggerRunner = {
  invoke: async () => undefined,
  invokeAsync: () => {},
};
