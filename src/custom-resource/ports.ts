// Ports the Custom::CognitoUserPool handler talks through, so tests can swap AWS for fakes.
import type {
  LambdaConfigType,
  ListUserPoolsCommandOutput,
  UpdateUserPoolCommandInput,
  UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";

export type { LambdaConfigType, UpdateUserPoolCommandInput, UserPoolType };

export type UserPoolPage = Pick<ListUserPoolsCommandOutput, "UserPools" | "NextToken">;

/** Errors are expected to carry the AWS exception name in `name` (as SDK v3 errors do). */
export interface CognitoPort {
  listUserPools(nextToken: string | undefined): Promise<UserPoolPage>;
  describeUserPool(userPoolId: string): Promise<UserPoolType>;
  updateUserPool(input: UpdateUserPoolCommandInput): Promise<void>;
}

export interface AddPermissionInput {
  FunctionName: string;
  StatementId: string;
  Action: "lambda:InvokeFunction";
  Principal: "cognito-idp.amazonaws.com";
  SourceArn: string;
}

export interface RemovePermissionInput {
  FunctionName: string;
  StatementId: string;
}

/** Errors are expected to carry the AWS exception name in `name` (as SDK v3 errors do). */
export interface LambdaPort {
  addPermission(input: AddPermissionInput): Promise<void>;
  removePermission(input: RemovePermissionInput): Promise<void>;
}

export interface AwsPorts {
  cognito: CognitoPort;
  lambda: LambdaPort;
}

export type Logger = (line: string) => void;

export interface CloudFormationResponseBody {
  Status: "SUCCESS" | "FAILED";
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data: Record<string, unknown>;
}

export type ResponseSender = (responseUrl: string, body: CloudFormationResponseBody) => Promise<void>;
