// User pool groups: lookup, membership limits and the `GroupType` wire shape.

import { int, str } from "../../shared/validation.js";
import type { GroupRecord, PoolRecord, UserRecord, WireObject } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import { limitExceeded, resourceNotFound } from "../errors.js";
import { epochSeconds } from "./epoch-seconds.js";
import { ARN } from "./pool-settings.js";

export const DESCRIPTION = str({ max: 2048 });
export const ROLE_ARN = ARN();
export const PRECEDENCE = int({ min: 0 });

/** Most groups one user may belong to. */
export const MAX_GROUPS_PER_USER = 100;

export async function requireGroup(tx: StoreTx, pool: PoolRecord, name: string): Promise<GroupRecord> {
  const group = await tx.getGroup(pool.id, name);
  if (!group) throw resourceNotFound("Group not found.");
  return group;
}

/** Adds the user to the group; already a member is fine, a 101st group is not. */
export async function addMember(tx: StoreTx, group: GroupRecord, user: UserRecord): Promise<void> {
  const current = await tx.listGroupsForUser(group.poolId, user.username, MAX_GROUPS_PER_USER, undefined);
  if (current.items.some((g) => g.name === group.name)) return;
  if (current.items.length >= MAX_GROUPS_PER_USER)
    throw limitExceeded(`A user can be a member of at most ${MAX_GROUPS_PER_USER} groups.`);
  await tx.addToGroup(group.poolId, group.name, user.username);
}

/** `GroupType`: Description, RoleArn and Precedence only when the group has them. */
export function groupWire(group: GroupRecord): WireObject {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    ...(group.description === undefined ? {} : { Description: group.description }),
    ...(group.roleArn === undefined ? {} : { RoleArn: group.roleArn }),
    ...(group.precedence === undefined ? {} : { Precedence: group.precedence }),
    LastModifiedDate: epochSeconds(group.lastModifiedAt),
    CreationDate: epochSeconds(group.createdAt),
  };
}
