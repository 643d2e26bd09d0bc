// AWS::Logs::LogGroup: recorded; the edge's CloudWatch Logs shows the group once its function first logs.
import type { ResourceContext, ResourceHandler, ResourceHandlers, ResourceResult } from "../types.js";
import { generatedName, optionalString, partitionOf } from "./physical-names.js";

const logGroupArn = (ctx: ResourceContext, name: string) =>
  `arn:${partitionOf(ctx.region)}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`;

function result(ctx: ResourceContext, name: string): ResourceResult {
  return { physicalId: name, attributes: { Arn: logGroupArn(ctx, name) } };
}

/**
 * The store creates a group with its first stream, so a group is not written ahead of its function's
 * first invocation (an empty stream would show in DescribeLogStreams). Deleting the resource keeps the
 * events: `up` never loses logs, and `down` leaves them for `logs` to read.
 */
export const logGroupHandler: ResourceHandler = {
  async create(properties, ctx) {
    return result(ctx, optionalString(properties, "LogGroupName", ctx) ?? generatedName(ctx, 512));
  },
  async update(physicalId, properties, _previous, ctx) {
    // A new LogGroupName replaces the group; retention, protection policies and tags are recorded only.
    return result(ctx, optionalString(properties, "LogGroupName", ctx) ?? physicalId);
  },
  async delete() {},
};

export const logsHandlers: ResourceHandlers = {
  "AWS::Logs::LogGroup": logGroupHandler,
};
