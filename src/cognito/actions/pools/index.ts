// The pools actions, registered by name.
import type { Action } from "../../context.js";
import { addCustomAttributes } from "./AddCustomAttributes.js";
import { createUserPool } from "./CreateUserPool.js";
import { deleteUserPool } from "./DeleteUserPool.js";
import { describeUserPool } from "./DescribeUserPool.js";
import { listUserPools } from "./ListUserPools.js";
import { updateUserPool } from "./UpdateUserPool.js";

export const poolActions: Record<string, Action> = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  UpdateUserPool: updateUserPool,
  ListUserPools: listUserPools,
  DeleteUserPool: deleteUserPool,
  AddCustomAttributes: addCustomAttributes,
};
