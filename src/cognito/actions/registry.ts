// Every Cognito action this server answers, by X-Amz-Target name; one file per action.

import type { Action } from "../context.js";
import { authActions } from "./auth/index.js";
import { clientActions } from "./clients/index.js";
import { groupActions } from "./groups/index.js";
import { poolActions } from "./pools/index.js";
import { userActions } from "./users/index.js";

export const ACTIONS: Readonly<Record<string, Action>> = {
  ...poolActions,
  ...clientActions,
  ...groupActions,
  ...userActions,
  ...authActions,
};
