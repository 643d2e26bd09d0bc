// Which services the edge serves, each mounted from its own module with the ports it needs.
import { cognitoRoutes } from "../cognito/routes.js";
import { cognitoService } from "../cognito/service.js";
import { DYNAMODB_TARGET_PREFIX } from "../dynamodb/edge.js";
import { kmsService } from "../kms/service.js";
import { lambdaRoutes } from "../lambda/routes.js";
import { logsService } from "../logs/service.js";
import type { EdgeMounts } from "./app.js";
import type { ServerDeps } from "./deps.js";

export function edgeMounts(deps: ServerDeps): EdgeMounts {
  const { dynamodb } = deps;
  return {
    json: [
      cognitoService(deps),
      logsService({ store: deps.store, clock: deps.clock, config: deps.config }),
      kmsService(deps),
    ],
    raw: dynamodb
      ? [{ targetPrefix: DYNAMODB_TARGET_PREFIX, handle: (req, res) => dynamodb.handle(req, res) }]
      : [],
    routes: [
      lambdaRoutes({ lambda: deps.lambda, random: deps.random, logger: deps.logger, config: deps.config }),
      cognitoRoutes(deps),
    ],
  };
}
