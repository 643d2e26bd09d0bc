// The Lambda API's routes on the edge: Invoke and the resource-based policy operations (restJson1, by path).
import { type Context, Hono } from "hono";
import { invokeFunction, type LambdaApiDeps } from "./invoke-api.js";
import { policyOperation } from "./policy-api.js";

const FUNCTIONS = "/2015-03-31/functions";

export function lambdaRoutes(deps: LambdaApiDeps): Hono {
  const app = new Hono();
  app.all(`${FUNCTIONS}/:name/invocations`, (c) =>
    invokeFunction(
      {
        method: c.req.method,
        path: c.req.path,
        header: (name) => c.req.header(name),
        body: c.req.raw.body,
      },
      c.req.param("name"),
      c.req.query("Qualifier") || undefined,
      deps,
    ),
  );
  const policy = (c: Context) =>
    policyOperation(
      { method: c.req.method, path: c.req.path, body: c.req.raw.body },
      c.req.param("name") ?? "",
      c.req.param("sid"),
      deps,
    );
  app.all(`${FUNCTIONS}/:name/policy`, policy);
  app.all(`${FUNCTIONS}/:name/policy/:sid`, policy);
  return app;
}
