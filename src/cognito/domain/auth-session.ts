// Challenge sessions (NEW_PASSWORD_REQUIRED, ...): opaque, single-use, bound to client, user and challenge.

import type { Random } from "../../shared/random.js";
import type { ClientRecord, SessionRecord, WireObject } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { MESSAGES, notAuthorized } from "../errors.js";
import { sessionValidityMs } from "./clients.js";

/**
 * A new session id. Real ones are ~900-character KMS blobs; clients only pass them back, so 64 base64
 * characters of CSPRNG output are as opaque and inside the model's 20–2048 bounds.
 */
export function newSessionId(random: Random): string {
  return random.bytes(48).toString("base64");
}

export async function openSession(
  tx: StoreTx,
  random: Random,
  input: { client: ClientRecord; username: string; challenge: string; data: WireObject; now: number },
): Promise<string> {
  const id = newSessionId(random);
  await tx.putSession({
    id,
    poolId: input.client.poolId,
    clientId: input.client.clientId,
    username: input.username,
    challenge: input.challenge,
    data: input.data,
    expiresAt: input.now + sessionValidityMs(input.client),
  });
  return id;
}

/**
 * Takes (consumes) the session answering `challenge` for `client`. The take is part of the caller's
 * transaction: when the response is rejected and the transaction rolls back, the session survives and the
 * client may answer again (as Cognito lets a user retry a password the policy refused).
 */
export async function takeSession(
  tx: StoreTx,
  id: string | undefined,
  expect: { client: ClientRecord; challenge: string; now: number },
): Promise<SessionRecord> {
  const session = id ? await tx.takeSession(id) : undefined;
  if (
    !session ||
    session.clientId !== expect.client.clientId ||
    session.poolId !== expect.client.poolId ||
    session.challenge !== expect.challenge
  )
    throw notAuthorized(MESSAGES.invalidSession);
  if (session.expiresAt <= expect.now) throw notAuthorized(MESSAGES.sessionExpired);
  return session;
}
