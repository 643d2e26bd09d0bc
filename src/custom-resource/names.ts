// ARNs and permission ids, derived the way Serverless v3 derives them so existing stacks line up.

export interface FunctionEnvironment {
  partition: string;
  region: string;
  accountId: string;
}

export function parseFunctionArn(arn: string): FunctionEnvironment {
  // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
  const [prefix, partition, service, region, accountId, kind] = arn.split(":");
  if (
    prefix !== "arn" ||
    service !== "lambda" ||
    kind !== "function" ||
    !partition ||
    !region ||
    !accountId
  ) {
    throw new Error(`Cannot read partition, region and account from the function ARN "${arn}".`);
  }
  return { partition, region, accountId };
}

export function functionArn(env: FunctionEnvironment, functionName: string): string {
  return `arn:${env.partition}:lambda:${env.region}:${env.accountId}:function:${functionName}`;
}

export function userPoolArn(env: FunctionEnvironment, userPoolId: string): string {
  return `arn:${env.partition}:cognito-idp:${env.region}:${env.accountId}:userpool/${userPoolId}`;
}

/** Lambda caps statement ids at 100 characters. */
export const MAX_STATEMENT_ID_LENGTH = 100;

export function permissionStatementId(functionName: string, userPoolName: string): string {
  const pool = userPoolName.toLowerCase().replace(/[.:*\s]/g, "");
  return `${functionName}-${pool}`.slice(0, MAX_STATEMENT_ID_LENGTH);
}
