// UpdateGroup: changes the description, role or precedence the request names; the others stay.

import { GROUP_NAME, USER_POOL_ID, validate } from "../../../shared/validation.js";
import type { GroupRecord } from "../../../store/model.js";
import type { Action } from "../../context.js";
import { DESCRIPTION, groupWire, PRECEDENCE, ROLE_ARN, requireGroup } from "../../domain/groups.js";
import { loadPool } from "../../domain/pools.js";

interface Request {
  GroupName: string;
  UserPoolId: string;
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
}

export const updateGroup: Action = async (input, ctx) => {
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
    const group = await requireGroup(tx, pool, request.GroupName);
    const updated: GroupRecord = {
      ...group,
      description: request.Description ?? group.description,
      roleArn: request.RoleArn ?? group.roleArn,
      precedence: request.Precedence ?? group.precedence,
      lastModifiedAt: now,
    };
    await tx.putGroup(updated);
    return { Group: groupWire(updated) };
  });
};
