// Every resource type the local deploy knows, by CloudFormation type; other types are reported and skipped.
import type { ResourceHandlers } from "../types.js";

export const RESOURCE_HANDLERS: ResourceHandlers = {};
