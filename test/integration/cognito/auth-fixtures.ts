// Shared setup for the auth/SRP/token/self-service integration tests: pools, clients and users made through the API.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { secretHash } from "../../../src/cognito/domain/secret-hash.js";
import { clientA, clientSignature, newClientSecret, poolNameOf } from "../../../src/cognito/domain/srp.js";
import { formatSrpTimestamp } from "../../../src/cognito/domain/timestamp.js";
import { cryptoRandom } from "../../../src/shared/random.js";

export const PASSWORD = "Passw0rd!";
export const OTHER_PASSWORD = "N3w-Passw0rd!";

let counter = 0;
/** A name unique within the test run, so tests sharing a server never collide. */
export const unique = (prefix: string) => `${prefix}${++counter}`;

export async function createPool(
  cognito: CognitoIdentityProviderClient,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const out = await cognito.send(new CreateUserPoolCommand({ PoolName: unique("pool"), ...input }));
  return out.UserPool?.Id as string;
}

export async function createClient(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ clientId: string; clientSecret: string | undefined }> {
  const out = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: unique("client"),
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      ...input,
    }),
  );
  return { clientId: out.UserPoolClient?.ClientId as string, clientSecret: out.UserPoolClient?.ClientSecret };
}

/** A CONFIRMED user with a permanent password (AdminCreateUser, then AdminSetUserPassword Permanent). */
export async function createUser(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  options: { password?: string; attributes?: AttributeType[]; permanent?: boolean } = {},
): Promise<string> {
  const password = options.password ?? PASSWORD;
  const out = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: password,
      MessageAction: "SUPPRESS",
      UserAttributes: options.attributes,
    }),
  );
  if (options.permanent !== false)
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  return out.User?.Username as string;
}

export async function passwordSignIn(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
) {
  return cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
    }),
  );
}

export const hashFor = (secret: string, username: string, clientId: string) =>
  secretHash(secret, username, clientId);

export interface SrpStart {
  aHex: string;
  A: string;
}

export function srpStart(): SrpStart {
  const aHex = newClientSecret(cryptoRandom);
  return { aHex, A: clientA(aHex) };
}

/** The PASSWORD_VERIFIER answer a real client computes from the challenge parameters. */
export function srpAnswer(input: {
  poolId: string;
  start: SrpStart;
  params: Record<string, string>;
  password: string;
  now: number;
  timestamp?: string;
}): Record<string, string> {
  const timestamp = input.timestamp ?? formatSrpTimestamp(input.now);
  const userIdForSrp = input.params.USER_ID_FOR_SRP as string;
  const signature = clientSignature({
    poolName: poolNameOf(input.poolId),
    userIdForSrp,
    password: input.password,
    saltHex: input.params.SALT as string,
    aHex: input.start.aHex,
    BHex: input.params.SRP_B as string,
    secretBlockBytes: Buffer.from(input.params.SECRET_BLOCK as string, "base64"),
    timestamp,
  });
  return {
    USERNAME: userIdForSrp,
    PASSWORD_CLAIM_SECRET_BLOCK: input.params.SECRET_BLOCK as string,
    PASSWORD_CLAIM_SIGNATURE: signature,
    TIMESTAMP: timestamp,
  };
}

/** USER_SRP_AUTH through InitiateAuth and RespondToAuthChallenge with this repository's client-side SRP. */
export async function srpSignIn(
  cognito: CognitoIdentityProviderClient,
  input: {
    poolId: string;
    clientId: string;
    username: string;
    password: string;
    now: number;
    secret?: string;
  },
) {
  const start = srpStart();
  const first = await cognito.send(
    new InitiateAuthCommand({
      ClientId: input.clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: {
        USERNAME: input.username,
        SRP_A: start.A,
        ...(input.secret ? { SECRET_HASH: hashFor(input.secret, input.username, input.clientId) } : {}),
      },
    }),
  );
  const params = first.ChallengeParameters as Record<string, string>;
  const answer = srpAnswer({ poolId: input.poolId, start, params, password: input.password, now: input.now });
  if (input.secret) answer.SECRET_HASH = hashFor(input.secret, answer.USERNAME as string, input.clientId);
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: input.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: answer,
    }),
  );
}

export const decodePayload = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString("utf8"));
