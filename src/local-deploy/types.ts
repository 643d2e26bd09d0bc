// What a resource type handler does when the local deploy creates, updates or deletes a resource.
import type { RunningServer } from "../edge/create-server.js";

/** Everything a handler may use: the running edge (its URL for SDK clients, its deps) and the stack. */
export interface ResourceContext {
  /** The local edge: point AWS SDK clients at `server.url`; `server.deps` gives store, registry, permissions. */
  server: RunningServer;
  stackName: string;
  region: string;
  accountId: string;
  logicalId: string;
  /** The service directory (for function code). */
  serviceDir: string;
  /** Warnings for the `up` summary (ignored properties, recorded-only resources). */
  warn(message: string): void;
}

export interface ResourceResult {
  /** What `Ref` returns (a pool id, a function name, a table name, ...). */
  physicalId: string;
  /** What `Fn::GetAtt` can read (`Arn`, `ProviderURL`, `StreamArn`, ...). */
  attributes: Record<string, unknown>;
}

export interface ResourceHandler {
  create(properties: Record<string, unknown>, ctx: ResourceContext): Promise<ResourceResult>;
  /** Returns a new physical id to replace the resource (the engine then deletes the old one). */
  update(
    physicalId: string,
    properties: Record<string, unknown>,
    previous: Record<string, unknown>,
    ctx: ResourceContext,
  ): Promise<ResourceResult>;
  delete(physicalId: string, properties: Record<string, unknown>, ctx: ResourceContext): Promise<void>;
  /**
   * Resources that live only in the edge's memory (functions, permissions) are re-created from the
   * saved stack state when `up` starts again; stored ones (pools, tables) need nothing.
   */
  restore?(physicalId: string, properties: Record<string, unknown>, ctx: ResourceContext): Promise<void>;
}

/** Resource handlers by CloudFormation type. */
export type ResourceHandlers = Readonly<Record<string, ResourceHandler>>;

/** A failure CloudFormation would report for one resource (CREATE_FAILED / UPDATE_FAILED reason). */
export class ResourceError extends Error {
  constructor(
    readonly logicalId: string,
    message: string,
  ) {
    super(`${logicalId}: ${message}`);
    this.name = "ResourceError";
  }
}
