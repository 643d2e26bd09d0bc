// Reads the golden cases under test/fixtures/serverless and normalises templates for comparison.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "serverless");

export type Ours = "match" | { error: string } | { fix: string };

export interface GoldenCase {
  name: string;
  dir: string;
  description: string;
  args: { stage?: string; region?: string };
  env: Record<string, string>;
  ours: Ours;
  /** "cognito" when the case has parts we do not compile (other event types): only the Cognito part is compared. */
  compare: "template" | "cognito";
  /** Serverless's template (normalised by the generator), when it packaged. */
  expected?: Record<string, unknown>;
  /** Serverless's error, when it refused. */
  expectedError?: { code: string; message: string };
  expectedWarnings: string;
}

export function loadCases(): GoldenCase[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(FIXTURES, d.name);
      const meta = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
      const read = (file: string) => {
        const path = join(dir, file);
        return existsSync(path) ? readFileSync(path, "utf8") : undefined;
      };
      const expected = read("expected.json");
      const expectedError = read("expected-error.json");
      return {
        name: d.name,
        dir,
        description: meta.description ?? "",
        args: meta.args ?? {},
        env: meta.env ?? {},
        ours: meta.ours ?? "match",
        compare: meta.compare === "cognito" ? "cognito" : "template",
        expected: expected ? JSON.parse(expected) : undefined,
        expectedError: expectedError ? JSON.parse(expectedError) : undefined,
        expectedWarnings: read("expected-warnings.txt") ?? "",
      };
    });
}

type Json = unknown;

/**
 * Replaces what legitimately differs between two packagings of the same service: the artifact
 * directory (a timestamp), ForceDeploy (the clock), and code hashes (our zips are not Serverless's).
 */
export function normalise(template: Json): Json {
  const text = JSON.stringify(template)
    .replace(/"S3Key":"[^"]*\/([^"/]+\.zip)"/g, '"S3Key":"__ARTIFACT_DIRECTORY__/$1"')
    .replace(/"ForceDeploy":(\d+|"__FORCE_DEPLOY__")/g, '"ForceDeploy":"__FORCE_DEPLOY__"')
    .replace(/"CodeSha256":"[^"]*"/g, '"CodeSha256":"__CODE_SHA256__"')
    .replace(/LambdaVersion[0-9A-Za-z]{20,}/g, "LambdaVersion__HASH__");
  return JSON.parse(text);
}

const COGNITO_TYPES = new Set([
  "AWS::Cognito::UserPool",
  "AWS::Lambda::Permission",
  "Custom::CognitoUserPool",
]);
const CUSTOM_RESOURCE_IDS = new Set([
  "CustomDashresourceDashexistingDashcupLambdaFunction",
  "CustomDashresourceDashexistingDashcupLogGroup",
  "IamRoleCustomResourcesLambdaExecution",
]);

/** The resources the issue calls "the Cognito part": pools, permissions, custom resources and their handler and role. */
export function cognitoPart(template: Json): Record<string, unknown> {
  const resources = (
    template as { Resources: Record<string, { Type: string; Properties?: { Principal?: unknown } }> }
  ).Resources;
  const isCognito = (r: { Type: string; Properties?: { Principal?: unknown } }) =>
    COGNITO_TYPES.has(r.Type) &&
    (r.Type !== "AWS::Lambda::Permission" || r.Properties?.Principal === "cognito-idp.amazonaws.com");
  return Object.fromEntries(
    Object.entries(resources).filter(([id, r]) => isCognito(r) || CUSTOM_RESOURCE_IDS.has(id)),
  );
}
