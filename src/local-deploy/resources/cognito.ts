// AWS::Cognito::* handlers: the Cognito API calls CloudFormation makes, sent to the local edge through the SDK.
import {
  AddCustomAttributesCommand,
  type AddCustomAttributesCommandInput,
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteGroupCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
  UpdateUserPoolCommand,
  type UpdateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RunningServer } from "../../edge/create-server.js";
import {
  type ResourceContext,
  ResourceError,
  type ResourceHandler,
  type ResourceHandlers,
  type ResourceResult,
} from "../types.js";
import {
  clientReplacementReasons,
  clientRequests,
  coerce,
  poolReplacementReasons,
  poolRequests,
  schemaChange,
} from "./cognito-properties.js";

type Obj = Record<string, unknown>;

// One SDK client per edge and region: CloudFormation's own calls, with placeholder credentials the
// edge does not check.
const clients = new WeakMap<RunningServer, Map<string, CognitoIdentityProviderClient>>();

function cognito(ctx: ResourceContext): CognitoIdentityProviderClient {
  let byRegion = clients.get(ctx.server);
  if (!byRegion) {
    byRegion = new Map();
    clients.set(ctx.server, byRegion);
  }
  let client = byRegion.get(ctx.region);
  if (!client) {
    client = new CognitoIdentityProviderClient({
      region: ctx.region,
      endpoint: ctx.server.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    byRegion.set(ctx.region, client);
  }
  return client;
}

/** Runs one Cognito call, turning its failure into the CREATE_FAILED/UPDATE_FAILED reason. */
async function call<T>(ctx: ResourceContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new ResourceError(ctx.logicalId, awsReason(error));
  }
}

function awsReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined
    ? error.message
    : `${error.message} (Service: CognitoIdentityProvider, Status Code: ${status}, Error Code: ${error.name})`;
}

/** Deletes tolerate a resource already gone, as CloudFormation's do. */
async function deleteIfPresent(ctx: ResourceContext, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return;
    throw new ResourceError(ctx.logicalId, awsReason(error));
  }
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A name CloudFormation would generate for a resource whose template leaves it out. */
function generatedName(ctx: ResourceContext): string {
  let suffix = "";
  for (let i = 0; i < 12; i++) suffix += ID_CHARS[ctx.server.deps.random.int(ID_CHARS.length)];
  return `${ctx.logicalId.slice(0, 100)}-${suffix}`;
}

// AWS::Cognito::UserPool

function poolResult(ctx: ResourceContext, poolId: string, arn?: string): ResourceResult {
  const provider = `cognito-idp.${ctx.region}.amazonaws.com/${poolId}`;
  return {
    physicalId: poolId,
    attributes: {
      UserPoolId: poolId,
      Arn: arn ?? `arn:aws:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${poolId}`,
      ProviderName: provider,
      ProviderURL: `https://${provider}`,
    },
  };
}

async function createPool(properties: Obj, ctx: ResourceContext): Promise<ResourceResult> {
  const requests = poolRequests(properties);
  for (const warning of requests.warnings) ctx.warn(`${ctx.logicalId}: ${warning}`);
  const input = { PoolName: generatedName(ctx), ...requests.create } as CreateUserPoolCommandInput;
  const { UserPool } = await call(ctx, () => cognito(ctx).send(new CreateUserPoolCommand(input)));
  if (!UserPool?.Id) throw new ResourceError(ctx.logicalId, "CreateUserPool returned no pool id.");
  return poolResult(ctx, UserPool.Id, UserPool.Arn);
}

export const userPoolHandler: ResourceHandler = {
  create: createPool,

  async update(physicalId, properties, previous, ctx) {
    // Sign-in names cannot change on a pool: CloudFormation creates a new one (users do not move).
    const reasons = poolReplacementReasons(previous, properties);
    if (reasons.length > 0) return createPool(properties, ctx);
    const schema = schemaChange(previous.Schema, properties.Schema);
    if ("error" in schema) throw new ResourceError(ctx.logicalId, schema.error);
    const requests = poolRequests(properties);
    for (const warning of requests.warnings) ctx.warn(`${ctx.logicalId}: ${warning}`);
    if (schema.added.length > 0) {
      const input = {
        UserPoolId: physicalId,
        CustomAttributes: schema.added,
      } as AddCustomAttributesCommandInput;
      await call(ctx, () => cognito(ctx).send(new AddCustomAttributesCommand(input)));
    }
    // The full updatable set: what the template no longer names returns to Cognito's default.
    const input = { UserPoolId: physicalId, ...requests.update } as UpdateUserPoolCommandInput;
    await call(ctx, () => cognito(ctx).send(new UpdateUserPoolCommand(input)));
    return poolResult(ctx, physicalId);
  },

  async delete(physicalId, _properties, ctx) {
    // DeletionProtection ACTIVE fails here with Cognito's own error, as the stack deletion does on AWS.
    await deleteIfPresent(ctx, () =>
      cognito(ctx).send(new DeleteUserPoolCommand({ UserPoolId: physicalId })),
    );
  },
};

// AWS::Cognito::UserPoolClient

async function createClient(properties: Obj, ctx: ResourceContext): Promise<ResourceResult> {
  const requests = clientRequests(properties, generatedName(ctx));
  for (const warning of requests.warnings) ctx.warn(`${ctx.logicalId}: ${warning}`);
  const input = requests.create as unknown as CreateUserPoolClientCommandInput;
  const { UserPoolClient } = await call(ctx, () => cognito(ctx).send(new CreateUserPoolClientCommand(input)));
  if (!UserPoolClient?.ClientId)
    throw new ResourceError(ctx.logicalId, "CreateUserPoolClient returned no client id.");
  return clientResult(UserPoolClient);
}

function clientResult(client: {
  ClientId?: string;
  ClientSecret?: string;
  ClientName?: string;
}): ResourceResult {
  const attributes: Obj = { ClientId: client.ClientId, Name: client.ClientName };
  if (client.ClientSecret !== undefined) attributes.ClientSecret = client.ClientSecret;
  return { physicalId: client.ClientId ?? "", attributes };
}

export const userPoolClientHandler: ResourceHandler = {
  create: createClient,

  async update(physicalId, properties, previous, ctx) {
    if (clientReplacementReasons(previous, properties).length > 0) return createClient(properties, ctx);
    // The name a previous create generated stays when the template still leaves it out.
    const requests = clientRequests(properties, "");
    for (const warning of requests.warnings) ctx.warn(`${ctx.logicalId}: ${warning}`);
    const update: Obj = { ...requests.update };
    if (update.ClientName === "") delete update.ClientName;
    const input = {
      UserPoolId: requests.userPoolId,
      ClientId: physicalId,
      ...update,
    } as UpdateUserPoolClientCommandInput;
    const { UserPoolClient } = await call(ctx, () =>
      cognito(ctx).send(new UpdateUserPoolClientCommand(input)),
    );
    return clientResult(UserPoolClient ?? { ClientId: physicalId });
  },

  async delete(physicalId, properties, ctx) {
    const UserPoolId = String(properties.UserPoolId ?? "");
    await deleteIfPresent(ctx, () =>
      cognito(ctx).send(new DeleteUserPoolClientCommand({ UserPoolId, ClientId: physicalId })),
    );
  },
};

// AWS::Cognito::UserPoolGroup

const GROUP_KNOWN = new Set(["GroupName", "UserPoolId", "Description", "Precedence", "RoleArn"]);

function groupFields(properties: Obj, ctx: ResourceContext): Obj {
  const props = coerce(properties) as Obj;
  for (const key of Object.keys(props))
    if (!GROUP_KNOWN.has(key))
      ctx.warn(
        `${ctx.logicalId}: AWS::Cognito::UserPoolGroup property ${key} is not a known property; ignored.`,
      );
  const fields: Obj = {};
  for (const key of ["Description", "Precedence", "RoleArn"])
    if (props[key] !== undefined) fields[key] = props[key];
  return fields;
}

async function createGroup(properties: Obj, ctx: ResourceContext): Promise<ResourceResult> {
  const GroupName = typeof properties.GroupName === "string" ? properties.GroupName : generatedName(ctx);
  const UserPoolId = String(properties.UserPoolId ?? "");
  const fields = groupFields(properties, ctx);
  await call(ctx, () => cognito(ctx).send(new CreateGroupCommand({ GroupName, UserPoolId, ...fields })));
  return { physicalId: GroupName, attributes: {} };
}

export const userPoolGroupHandler: ResourceHandler = {
  create: createGroup,

  async update(physicalId, properties, previous, ctx) {
    const renamed = properties.GroupName !== previous.GroupName;
    if (renamed || properties.UserPoolId !== previous.UserPoolId) return createGroup(properties, ctx);
    const fields = groupFields(properties, ctx);
    // UpdateGroup keeps what it is not given; an emptied description is the one reset it can express.
    if (fields.Description === undefined && previous.Description !== undefined) fields.Description = "";
    const UserPoolId = String(properties.UserPoolId ?? "");
    await call(ctx, () =>
      cognito(ctx).send(new UpdateGroupCommand({ GroupName: physicalId, UserPoolId, ...fields })),
    );
    return { physicalId, attributes: {} };
  },

  async delete(physicalId, properties, ctx) {
    const UserPoolId = String(properties.UserPoolId ?? "");
    await deleteIfPresent(ctx, () =>
      cognito(ctx).send(new DeleteGroupCommand({ GroupName: physicalId, UserPoolId })),
    );
  },
};

// AWS::Cognito::UserPoolUserToGroupAttachment (every property replaces it)

function attachment(properties: Obj) {
  return {
    UserPoolId: String(properties.UserPoolId ?? ""),
    GroupName: String(properties.GroupName ?? ""),
    Username: String(properties.Username ?? ""),
  };
}

async function attach(properties: Obj, ctx: ResourceContext): Promise<ResourceResult> {
  const input = attachment(properties);
  await call(ctx, () => cognito(ctx).send(new AdminAddUserToGroupCommand(input)));
  return { physicalId: `${input.UserPoolId}|${input.GroupName}|${input.Username}`, attributes: {} };
}

export const userToGroupAttachmentHandler: ResourceHandler = {
  create: attach,
  async update(physicalId, properties, previous, ctx) {
    const same = JSON.stringify(attachment(properties)) === JSON.stringify(attachment(previous));
    return same ? { physicalId, attributes: {} } : attach(properties, ctx);
  },
  async delete(_physicalId, properties, ctx) {
    const input = attachment(properties);
    await deleteIfPresent(ctx, () => cognito(ctx).send(new AdminRemoveUserFromGroupCommand(input)));
  },
};

// AWS::Cognito::UserPoolDomain (recorded: the hosted UI is not served)

async function recordDomain(properties: Obj, ctx: ResourceContext): Promise<ResourceResult> {
  const domain = String(properties.Domain ?? "");
  if (!domain) throw new ResourceError(ctx.logicalId, "Property Domain is required.");
  const UserPoolId = String(properties.UserPoolId ?? "");
  // The pool must exist, so a wrong reference still fails the deploy here as it would on AWS.
  await call(ctx, () => cognito(ctx).send(new DescribeUserPoolCommand({ UserPoolId })));
  ctx.warn(
    `${ctx.logicalId}: AWS::Cognito::UserPoolDomain ${domain} is recorded only; the hosted UI is not served locally.`,
  );
  const custom = properties.CustomDomainConfig !== undefined;
  return {
    physicalId: domain,
    attributes: {
      CloudFrontDistribution: custom
        ? `${domain}.cloudfront.local`
        : `${domain}.auth.${ctx.region}.amazoncognito.com`,
    },
  };
}

export const userPoolDomainHandler: ResourceHandler = {
  create: recordDomain,
  async update(physicalId, properties, previous, ctx) {
    const replaced = properties.Domain !== previous.Domain || properties.UserPoolId !== previous.UserPoolId;
    if (replaced) return recordDomain(properties, ctx);
    return { physicalId, attributes: (await recordDomain(properties, ctx)).attributes };
  },
  async delete() {},
};

export const cognitoHandlers: ResourceHandlers = {
  "AWS::Cognito::UserPool": userPoolHandler,
  "AWS::Cognito::UserPoolClient": userPoolClientHandler,
  "AWS::Cognito::UserPoolGroup": userPoolGroupHandler,
  "AWS::Cognito::UserPoolUserToGroupAttachment": userToGroupAttachmentHandler,
  "AWS::Cognito::UserPoolDomain": userPoolDomainHandler,
};
