// Serverless's rules for the one KMS key a pool's custom senders share.

import type { ProblemList } from "./errors.js";
import type { CognitoEvent } from "./model.js";
import type { Json } from "./service-model.js";

/** Same key: identical value, or identical JSON (so two equal GetAtt objects are one key). */
export function sameKmsKey(a: Json | undefined, b: Json | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks a custom-sender event against the key already recorded for its pool and records its key.
 * Returns false when the event's key is missing or differs (a problem was added).
 */
export function checkSenderKey(
  event: CognitoEvent,
  keysByPool: Map<string, Json>,
  problems: ProblemList,
): boolean {
  if (event.kmsKeyId === undefined) {
    problems.add(
      "COGNITO_KMS_KEY_NOT_SET",
      `KMS Key must be set when using a Custom Sender Source Trigger (CustomSMSSender and/or CustomEmailSender). Affected Cognito User Pool: "${event.pool}".`,
      event.path,
    );
    return false;
  }
  const recorded = keysByPool.get(event.pool);
  if (recorded !== undefined && !sameKmsKey(recorded, event.kmsKeyId)) {
    problems.add(
      "COGNITO_KMS_KEY_ID_NOT_SAME_FOR_SINGLE_USER_POOL",
      `Only one KMS Key for can be configured per Cognito User Pool. Affected Cognito User Pool: "${event.pool}".`,
      [...event.path, "kmsKeyId"],
    );
    return false;
  }
  keysByPool.set(event.pool, event.kmsKeyId);
  return true;
}
