// The users actions, registered by name.
import type { Action } from "../../context.js";
import { adminConfirmSignUp } from "./AdminConfirmSignUp.js";
import { adminCreateUser } from "./AdminCreateUser.js";
import { adminDeleteUser } from "./AdminDeleteUser.js";
import { adminDeleteUserAttributes } from "./AdminDeleteUserAttributes.js";
import { adminDisableUser } from "./AdminDisableUser.js";
import { adminEnableUser } from "./AdminEnableUser.js";
import { adminGetUser } from "./AdminGetUser.js";
import { adminResetUserPassword } from "./AdminResetUserPassword.js";
import { adminSetUserPassword } from "./AdminSetUserPassword.js";
import { adminUpdateUserAttributes } from "./AdminUpdateUserAttributes.js";
import { changePassword } from "./ChangePassword.js";
import { confirmForgotPassword } from "./ConfirmForgotPassword.js";
import { confirmSignUp } from "./ConfirmSignUp.js";
import { deleteUser } from "./DeleteUser.js";
import { deleteUserAttributes } from "./DeleteUserAttributes.js";
import { forgotPassword } from "./ForgotPassword.js";
import { getUser } from "./GetUser.js";
import { getUserAttributeVerificationCode } from "./GetUserAttributeVerificationCode.js";
import { listUsers } from "./ListUsers.js";
import { resendConfirmationCode } from "./ResendConfirmationCode.js";
import { signUp } from "./SignUp.js";
import { updateUserAttributes } from "./UpdateUserAttributes.js";
import { verifyUserAttribute } from "./VerifyUserAttribute.js";

export const userActions: Record<string, Action> = {
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminGetUser: adminGetUser,
  AdminResetUserPassword: adminResetUserPassword,
  AdminSetUserPassword: adminSetUserPassword,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  ChangePassword: changePassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  DeleteUser: deleteUser,
  DeleteUserAttributes: deleteUserAttributes,
  ForgotPassword: forgotPassword,
  GetUser: getUser,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  ListUsers: listUsers,
  ResendConfirmationCode: resendConfirmationCode,
  SignUp: signUp,
  UpdateUserAttributes: updateUserAttributes,
  VerifyUserAttribute: verifyUserAttribute,
};
