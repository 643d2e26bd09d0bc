// The authentication actions, registered by name.
import type { Action } from "../../context.js";
import { adminInitiateAuth } from "./AdminInitiateAuth.js";
import { adminRespondToAuthChallenge } from "./AdminRespondToAuthChallenge.js";
import { adminUserGlobalSignOut } from "./AdminUserGlobalSignOut.js";
import { globalSignOut } from "./GlobalSignOut.js";
import { initiateAuth } from "./InitiateAuth.js";
import { respondToAuthChallenge } from "./RespondToAuthChallenge.js";
import { revokeToken } from "./RevokeToken.js";

export const authActions: Record<string, Action> = {
  AdminInitiateAuth: adminInitiateAuth,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
};
