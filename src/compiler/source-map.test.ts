// Unit tests for locate(): configuration paths back to 1-based line:column, including aliases and merges.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Serverless variables, not JS templates.

import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { expandCfnTags } from "./cfn-tags.js";
import { createLocator } from "./source-map.js";

function locator(text: string, file = "serverless.yml") {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  expect(doc.errors).toEqual([]);
  expandCfnTags(doc);
  const locate = createLocator(doc, lineCounter, file);
  return (...path: (string | number)[]) => {
    const location = locate(path);
    return location ? `${location.file}:${location.line}:${location.column}` : undefined;
  };
}

const YAML = [
  "service: demo", // 1
  "provider:", // 2
  "  name: aws", // 3
  "  environment:", // 4
  "    POOL: ${env:POOL}", // 5
  "functions:", // 6
  "  hook:", // 7
  "    events:", // 8
  "      - cognitoUserPool:", // 9
  "          pool: Users", // 10
  "      - http: GET /", // 11
  "    empty:", // 12
  "resources:", // 13
  "  Arn: !GetAtt Lambda.Arn", // 14
  "  Joined: !Join [x, [a, b]]", // 15
].join("\n");

describe("createLocator", () => {
  const at = locator(YAML);

  it("finds nested mapping values", () => {
    expect(at("provider", "environment", "POOL")).toBe("serverless.yml:5:11");
    expect(at("service")).toBe("serverless.yml:1:10");
  });

  it("finds sequence items by numeric index", () => {
    expect(at("functions", "hook", "events", 0, "cognitoUserPool", "pool")).toBe("serverless.yml:10:17");
    expect(at("functions", "hook", "events", 1)).toBe("serverless.yml:11:9");
    expect(at("functions", "hook", "events", "1", "http")).toBe("serverless.yml:11:15");
  });

  it("falls back to the nearest ancestor written in the source", () => {
    expect(at("functions", "hook", "events", 0, "cognitoUserPool", "missing", "deeper")).toBe(
      "serverless.yml:10:11",
    );
    expect(at("functions", "hook", "events", 7)).toBe("serverless.yml:9:7");
    expect(at("provider", "name", "inside-a-scalar")).toBe("serverless.yml:3:9");
  });

  it("points at the key of an empty value", () => {
    expect(at("functions", "hook", "empty")).toBe("serverless.yml:12:5");
  });

  it("locates the root for an empty path", () => {
    expect(at()).toBe("serverless.yml:1:1");
  });

  it("locates inside expanded CloudFormation tags", () => {
    expect(at("resources", "Arn")).toBe("serverless.yml:14:16");
    expect(at("resources", "Arn", "Fn::GetAtt", 1)).toBe("serverless.yml:14:16");
    expect(at("resources", "Joined", "Fn::Join", 1, 1)).toBe("serverless.yml:15:25");
  });

  it("follows aliases and merge keys", () => {
    const aliased = locator(
      [
        "defaults: &defaults", // 1
        "  memory: 512", // 2
        "  tags: &tags {a: 1}", // 3
        "fn:", // 4
        "  <<: *defaults", // 5
        "  timeout: 6", // 6
        "  copy: *tags", // 7
      ].join("\n"),
    );
    expect(aliased("fn", "memory")).toBe("serverless.yml:2:11");
    expect(aliased("fn", "timeout")).toBe("serverless.yml:6:12");
    expect(aliased("fn", "copy", "a")).toBe("serverless.yml:3:19");
  });

  it("works on JSON and names the file it was given", () => {
    const json = locator('{\n  "service": "x",\n  "list": [\n    {"a": 1}\n  ]\n}', "serverless.json");
    expect(json("list", 0, "a")).toBe("serverless.json:4:11");
    expect(json("service")).toBe("serverless.json:2:14");
  });
});
