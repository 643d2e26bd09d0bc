// Cognito's Identity Provider API on the edge: `AWSCognitoIdentityProviderService.*` calls in AWS JSON 1.1.
import type { JsonService } from "../shared/json-service.js";
import { COGNITO_ACTIONS } from "./actions/all-actions.js";
import { ACTIONS } from "./actions/registry.js";
import type { ActionContext } from "./context.js";
import { CognitoError } from "./errors.js";
import type { CognitoDeps } from "./ports.js";

export const COGNITO_TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

/** `aws-sdk-js-3.600.0` from `aws-sdk-js/3.600.0 ...`; Cognito's fallback otherwise. */
export function awsSdkVersion(userAgent: string | undefined): string {
  const match = userAgent?.match(/aws-sdk-([a-z]+)\/(\d[\w.-]*)/i);
  return match ? `aws-sdk-${match[1]?.toLowerCase()}-${match[2]}` : "aws-sdk-unknown-unknown";
}

export function cognitoService(deps: CognitoDeps): JsonService {
  return {
    targetPrefix: COGNITO_TARGET_PREFIX,
    contentType: "application/x-amz-json-1.1",
    // Unknown and unsupported actions are refused before the body is read, as Cognito's front end does.
    refuse: (operation) => {
      if (Object.hasOwn(ACTIONS, operation)) return undefined;
      return COGNITO_ACTIONS.has(operation)
        ? new CognitoError(
            "UnsupportedOperationException",
            `${operation} is not supported by cognito-triggers yet (see docs/parity.md for what is).`,
          )
        : new CognitoError(
            "UnknownOperationException",
            `Unknown operation ${COGNITO_TARGET_PREFIX}${operation}`,
          );
    },
    call: (operation, input, request) => {
      const action = ACTIONS[operation];
      if (!action) throw new CognitoError("UnknownOperationException", `Unknown operation ${operation}`);
      const ctx: ActionContext = {
        ...deps,
        request: { requestId: request.requestId, awsSdkVersion: awsSdkVersion(request.userAgent) },
      };
      return action(input, ctx);
    },
    internalError: () => new CognitoError("InternalErrorException", "Internal server error.", 500),
  };
}
