// The clients actions, registered by name.
import type { Action } from "../../context.js";
import { createUserPoolClient } from "./CreateUserPoolClient.js";
import { deleteUserPoolClient } from "./DeleteUserPoolClient.js";
import { describeUserPoolClient } from "./DescribeUserPoolClient.js";
import { listUserPoolClients } from "./ListUserPoolClients.js";
import { updateUserPoolClient } from "./UpdateUserPoolClient.js";

export const clientActions: Record<string, Action> = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  DeleteUserPoolClient: deleteUserPoolClient,
};
