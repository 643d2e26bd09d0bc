// CreateGroup: a new group in the pool; names are unique within a pool.

import { GROUP_NAME, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { GroupRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { DESCRIPTION, groupWire, PRECEDENCE, ROLE_ARN } from "../../domain/groups.js";
import { loadPool } from "../../domain/pools.js";
import { groupExists } from "../../errors.js";

interface Request {
  GroupName: string;
  UserPoolId: string;
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
}

export const createGroup: Action = async (input, ctx) => {
  const request = validate<Request>(input, {
    GroupName: GROUP_NAME,
    UserPoolId: USER_POOL_ID,
    Description: DESCRIPTION,
    RoleArn: ROLE_ARN,
    Precedence: PRECEDENCE,
  });
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const pool = await loadPool(tx, request.UserPoolId);
    if (await tx.getGroup(pool.id, request.GroupName))
      throw groupExists("A group with the name already exists.");
    const group: GroupRecord = {
      poolId: pool.id,
      name: request.GroupName,
      description: request.Description,
      roleArn: request.RoleArn,
      precedence: request.Precedence,
      createdAt: now,
      lastModifiedAt: now,
    };
    await tx.putGroup(group);
    return { Group: groupWire(group) };
  });
};
