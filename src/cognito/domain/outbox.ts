// Reading the outbox: messages of a pool, for a user named by username, sub, or any email/phone/preferred_username.
import type { OutboxMessage } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { findUser } from "./users.js";

/**
 * `name` matches a message's username or sub, the user it resolves to (aliases included), or the
 * address the message went to, so a developer can look codes up by the email they signed up with.
 */
export async function outboxFor(
  tx: StoreTx,
  userPoolId: string | undefined,
  name: string | undefined,
): Promise<OutboxMessage[]> {
  const messages = await tx.listOutbox({ userPoolId });
  if (!name) return messages;
  let resolved: string | undefined;
  if (userPoolId) {
    const pool = await tx.getPool(userPoolId);
    resolved = pool ? (await findUser(tx, pool, name))?.user.username : undefined;
  }
  const lower = name.toLowerCase();
  return messages.filter(
    (m) =>
      m.username === name ||
      m.username === resolved ||
      m.sub === name ||
      m.destination.toLowerCase() === lower,
  );
}

/** The JSON shape of `GET /_local/outbox` and `outbox --json`. */
export function outboxJson(messages: readonly OutboxMessage[]) {
  return {
    messages: messages.map(({ id: _id, ...message }) => ({
      ...message,
      createdAt: new Date(message.createdAt).toISOString(),
    })),
  };
}
