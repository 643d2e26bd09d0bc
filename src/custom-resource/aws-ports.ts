// The real ports: AWS SDK v3 clients (which also honour AWS_ENDPOINT_URL, so local deploys work unchanged).
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AddPermissionCommand, LambdaClient, RemovePermissionCommand } from "@aws-sdk/client-lambda";
import type { AwsPorts } from "./ports.js";

/** Where the clients go instead of AWS (a local deploy runs this handler in-process against its edge). */
export interface ClientOverrides {
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Serverless's SLS_AWS_REQUEST_MAX_RETRIES, read as a number of attempts (at least the first one). */
export function maxAttemptsFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.SLS_AWS_REQUEST_MAX_RETRIES?.trim();
  const value = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(value) && value >= 0 ? Math.max(1, Math.floor(value)) : DEFAULT_MAX_ATTEMPTS;
}

export function createAwsPorts(
  region: string,
  env: Record<string, string | undefined> = process.env,
  overrides: ClientOverrides = {},
): AwsPorts {
  const config = { region, maxAttempts: maxAttemptsFromEnv(env), ...overrides };
  const cognito = new CognitoIdentityProviderClient(config);
  const lambda = new LambdaClient(config);
  return {
    cognito: {
      async listUserPools(nextToken) {
        const { UserPools, NextToken } = await cognito.send(
          new ListUserPoolsCommand({ MaxResults: 60, NextToken: nextToken }),
        );
        return { UserPools, NextToken };
      },
      async describeUserPool(userPoolId) {
        const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
        if (!UserPool) throw new Error(`DescribeUserPool returned no UserPool for ${userPoolId}.`);
        return UserPool;
      },
      async updateUserPool(input) {
        await cognito.send(new UpdateUserPoolCommand(input));
      },
    },
    lambda: {
      async addPermission(input) {
        await lambda.send(new AddPermissionCommand(input));
      },
      async removePermission(input) {
        await lambda.send(new RemovePermissionCommand(input));
      },
    },
  };
}

/** One pair of clients per region for the life of the Lambda container. */
export function cachedAwsPorts(): (region: string) => AwsPorts {
  const byRegion = new Map<string, AwsPorts>();
  return (region) => {
    let ports = byRegion.get(region);
    if (!ports) {
      ports = createAwsPorts(region);
      byRegion.set(region, ports);
    }
    return ports;
  };
}
