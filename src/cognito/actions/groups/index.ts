// The groups actions, registered by name.
import type { Action } from "../../context.js";
import { adminAddUserToGroup } from "./AdminAddUserToGroup.js";
import { adminListGroupsForUser } from "./AdminListGroupsForUser.js";
import { adminRemoveUserFromGroup } from "./AdminRemoveUserFromGroup.js";
import { createGroup } from "./CreateGroup.js";
import { deleteGroup } from "./DeleteGroup.js";
import { getGroup } from "./GetGroup.js";
import { listGroups } from "./ListGroups.js";
import { listUsersInGroup } from "./ListUsersInGroup.js";
import { updateGroup } from "./UpdateGroup.js";

export const groupActions: Record<string, Action> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  ListGroups: listGroups,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
};
