// PostConfirmation: syncs the confirmed user to the User Service, retrying with backoff; never fails the confirmation.
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { Context, PostConfirmationTriggerEvent } from "aws-lambda";

/** The body the User Service takes at POST /api/v1/users. */
export interface UserRecord {
  cognitoSub: string;
  email: string;
  fullName: string;
  status: "ACTIVE";
  role: "USER";
  createdBy: string;
  updatedBy: string;
}

export interface SyncDeps {
  fetch: typeof fetch;
  /** Saves a sync that still failed (the FailedSyncs table on AWS and locally). */
  saveFailed(record: UserRecord, error: string, attempts: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter. */
  random(): number;
  env: Readonly<Record<string, string | undefined>>;
  log(message: string): void;
}

/** Cognito waits 5 s for a trigger: stop retrying early enough to save the failure and return in time. */
export const SAFETY_MARGIN_MS = 1_000;
export const BASE_DELAY_MS = 100;
export const MAX_DELAY_MS = 2_000;
export const MAX_ATTEMPTS = 5;
/** One request may not eat the whole budget. */
export const REQUEST_TIMEOUT_MS = 1_500;

export function userRecord(event: PostConfirmationTriggerEvent): UserRecord {
  const attributes = event.request.userAttributes;
  const fullName =
    attributes.name ?? [attributes.given_name, attributes.family_name].filter(Boolean).join(" ");
  return {
    cognitoSub: attributes.sub ?? "",
    email: attributes.email ?? "",
    fullName: fullName || event.userName,
    status: "ACTIVE",
    role: "USER",
    createdBy: "cognito-post-confirmation",
    updatedBy: "cognito-post-confirmation",
  };
}

/** Full jitter: a random delay up to the exponential bound, so retrying callers spread out. */
export function backoffDelay(attempt: number, random: number): number {
  return Math.floor(random * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

/** Posts the record until it is accepted, attempts run out, or the next try would not fit the time left. */
export async function syncUser(
  record: UserRecord,
  remainingMs: () => number,
  deps: SyncDeps,
): Promise<{ ok: boolean; attempts: number; error?: string }> {
  const url = deps.env.USER_SERVICE_URL;
  if (!url) return { ok: false, attempts: 0, error: "USER_SERVICE_URL is not set" };
  const headers: Record<string, string> = { "content-type": "application/json" };
  const apiKey = deps.env.USER_SERVICE_API_KEY;
  if (apiKey) headers["x-api-key"] = apiKey;
  let error = "";
  let attempts = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const budget = remainingMs() - SAFETY_MARGIN_MS;
    if (budget <= 0) break;
    attempts++;
    try {
      const response = await deps.fetch(`${url.replace(/\/+$/, "")}/api/v1/users`, {
        method: "POST",
        headers,
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(Math.min(REQUEST_TIMEOUT_MS, budget)),
      });
      // 409 means the user is already there: the service is idempotent on cognitoSub.
      if (response.ok || response.status === 409) return { ok: true, attempts };
      error = `HTTP ${response.status}`;
      // Client errors other than throttling will not get better by retrying.
      if (response.status < 500 && response.status !== 429) break;
    } catch (caught) {
      error = (caught as Error).message;
    }
    if (attempt === MAX_ATTEMPTS - 1) break;
    const delay = backoffDelay(attempt, deps.random());
    if (remainingMs() - SAFETY_MARGIN_MS - delay <= 0) break;
    deps.log(`User sync attempt ${attempts} failed (${error}); retrying in ${delay} ms.`);
    await deps.sleep(delay);
  }
  return { ok: false, attempts, error };
}

export function createHandler(deps: SyncDeps) {
  return async (
    event: PostConfirmationTriggerEvent,
    context: Pick<Context, "getRemainingTimeInMillis">,
  ): Promise<PostConfirmationTriggerEvent> => {
    // Forgot-password confirmations are not new users.
    if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
    const record = userRecord(event);
    try {
      const result = await syncUser(record, () => context.getRemainingTimeInMillis(), deps);
      if (result.ok) {
        deps.log(`Synced ${record.email} (${record.cognitoSub}) to the User Service.`);
        return event;
      }
      deps.log(`User sync failed after ${result.attempts} attempt(s): ${result.error}; saved for replay.`);
      await deps.saveFailed(record, result.error ?? "unknown", result.attempts);
    } catch (caught) {
      // The confirmation must never fail because of the sync, not even when saving the failure fails.
      deps.log(`User sync could not be recorded: ${(caught as Error).message}`);
    }
    return event;
  };
}

const dynamodb = new DynamoDBClient({});

export const handler = createHandler({
  fetch: (input, init) => fetch(input, init),
  async saveFailed(record, error, attempts) {
    await dynamodb.send(
      new PutItemCommand({
        TableName: process.env.FAILED_SYNCS_TABLE,
        Item: {
          CognitoSub: { S: record.cognitoSub },
          Payload: { S: JSON.stringify(record) },
          Error: { S: error },
          Attempts: { N: String(attempts) },
          FailedAt: { S: new Date().toISOString() },
        },
      }),
    );
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  env: process.env,
  log: (message) => console.log(message),
});
