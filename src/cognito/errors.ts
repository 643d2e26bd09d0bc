// Cognito's wire errors, named and worded exactly as Cognito names them; the edge alone writes them.

import { AwsError, awsError, invalidParameter, resourceNotFound } from "../shared/aws-error.js";

/** Cognito's exceptions are AwsErrors; the name says where they come from. */
export { AwsError as CognitoError, invalidParameter, resourceNotFound };

const make = awsError;

export const notAuthorized = make("NotAuthorizedException");
export const userNotFound = make("UserNotFoundException");
export const usernameExists = make("UsernameExistsException");
export const aliasExists = make("AliasExistsException");
export const userNotConfirmed = make("UserNotConfirmedException");
export const passwordResetRequired = make("PasswordResetRequiredException");
export const codeMismatch = make("CodeMismatchException");
export const expiredCode = make("ExpiredCodeException");
export const invalidPassword = make("InvalidPasswordException");
export const limitExceeded = make("LimitExceededException");
export const tooManyFailedAttempts = make("TooManyFailedAttemptsException");
export const groupExists = make("GroupExistsException");
export const unsupportedUserState = make("UnsupportedUserStateException");
export const unsupportedOperation = make("UnsupportedOperationException");
export const unsupportedTokenType = make("UnsupportedTokenTypeException");
export const unauthorized = make("UnauthorizedException", 401);
export const invalidUserPoolConfiguration = make("InvalidUserPoolConfigurationException");
export const internalError = make("InternalErrorException", 500);

/** The standard messages clients match on. */
export const MESSAGES = {
  incorrectCredentials: "Incorrect username or password.",
  userNotFound: "User does not exist.",
  userDisabled: "User is disabled.",
  userNotConfirmed: "User is not confirmed.",
  passwordResetRequired: "Password reset required for the user",
  passwordAttemptsExceeded: "Password attempts exceeded",
  attemptLimit: "Attempt limit exceeded, please try after some time.",
  codeMismatch: "Invalid verification code provided, please try again.",
  expiredCode: "Invalid code provided, please request a code again.",
  invalidAccessToken: "Invalid Access Token",
  accessTokenExpired: "Access Token has expired",
  accessTokenRevoked: "Access Token has been revoked",
  accessTokenScopes: "Access Token does not have required scopes",
  invalidRefreshToken: "Invalid Refresh Token",
  refreshTokenRevoked: "Refresh Token has been revoked",
  refreshTokenExpired: "Refresh Token has expired",
  invalidSession: "Invalid session for the user.",
  sessionExpired: "Invalid session for the user, session is expired.",
} as const;

export const poolNotFound = (poolId: string) => resourceNotFound(`User pool ${poolId} does not exist.`);
export const clientNotFound = (clientId: string) =>
  resourceNotFound(`User pool client ${clientId} does not exist.`);
