// Lambda entry for Custom::CognitoUserPool (zipped as cognito-user-pool/handler.handler): run, then answer CloudFormation.
import { cachedAwsPorts } from "./aws-ports.js";
import { handleRequest } from "./cognito-user-pool.js";
import type { CustomResourceEvent, LambdaContext } from "./events.js";
import type { AwsPorts, Logger, ResponseSender } from "./ports.js";
import { buildResponseBody, type Outcome, sendResponse } from "./response.js";

export interface HandlerDeps {
  awsPorts(region: string): AwsPorts;
  sendResponse: ResponseSender;
  log: Logger;
}

/** Time kept back from the Lambda timeout to report FAILED; without a response the stack hangs for an hour. */
export const RESPONSE_RESERVE_MS = 10_000;

function withDeadline<T>(work: Promise<T>, context: LambdaContext): Promise<T> {
  if (typeof context.getRemainingTimeInMillis !== "function") return work;
  const budget = Math.max(0, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`Gave up after ${budget} ms to answer CloudFormation before the Lambda timeout.`)),
      budget,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export function createHandler(
  deps: HandlerDeps,
): (event: CustomResourceEvent, context: LambdaContext) => Promise<void> {
  return async (event, context) => {
    let outcome: Outcome;
    try {
      const data = await withDeadline(handleRequest(event, context.invokedFunctionArn, deps), context);
      outcome = { status: "SUCCESS", data };
    } catch (error) {
      outcome = { status: "FAILED", error };
    }
    const body = buildResponseBody(event, context.logStreamName, outcome);
    deps.log(`Responding ${body.Status}${body.Reason ? `: ${body.Reason}` : ""}`);
    if (outcome.status === "FAILED" && outcome.error instanceof Error && outcome.error.stack) {
      deps.log(outcome.error.stack);
    }
    await deps.sendResponse(event.ResponseURL, body);
  };
}

export const handler = createHandler({
  awsPorts: cachedAwsPorts(),
  sendResponse: (url, body) => sendResponse(url, body),
  log: (line) => console.log(line),
});
