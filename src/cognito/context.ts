// What an action receives: its input, the ports, and facts about the HTTP request.
import type { CognitoDeps } from "./ports.js";

export interface RequestInfo {
  /** `aws-sdk-js-3.x` style version for callerContext.awsSdkVersion, from the User-Agent. */
  awsSdkVersion: string;
  /** A UUID per request, also sent as x-amzn-RequestId. */
  requestId: string;
}

export interface ActionContext extends CognitoDeps {
  request: RequestInfo;
}

export type Action = (input: Record<string, unknown>, ctx: ActionContext) => Promise<Record<string, unknown>>;
