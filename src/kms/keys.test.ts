// Key references: the KeyId forms KMS accepts, and the ARNs they name.
import { describe, expect, it } from "vitest";
import { AwsError as CognitoError } from "../shared/aws-error.js";
import { isKeyArn, parseKeyRef, partitionOf, splitKeyArn } from "./keys.js";

const CONFIG = { region: "eu-central-1", accountId: "000000000000" };

describe("parseKeyRef", () => {
  it("resolves key ids, key ARNs, alias names and alias ARNs", () => {
    expect(parseKeyRef("1234abcd-12ab-34cd-56ef-1234567890ab", CONFIG)).toEqual({
      kind: "key",
      arn: "arn:aws:kms:eu-central-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    expect(
      parseKeyRef("arn:aws:kms:us-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef", CONFIG),
    ).toEqual({
      kind: "key",
      arn: "arn:aws:kms:us-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef",
    });
    expect(parseKeyRef("alias/codes", CONFIG)).toEqual({
      kind: "alias",
      arn: "arn:aws:kms:eu-central-1:000000000000:alias/codes",
      name: "alias/codes",
    });
    expect(parseKeyRef("arn:aws:kms:us-east-1:111122223333:alias/team/codes", CONFIG)).toEqual({
      kind: "alias",
      arn: "arn:aws:kms:us-east-1:111122223333:alias/team/codes",
      name: "alias/team/codes",
    });
  });

  it("refuses what is no key reference with NotFoundException", () => {
    for (const value of [
      "has space",
      "arn:aws:kms:us-east-1:1:key/x",
      "arn:aws:s3:::bucket",
      "alias/",
      "a".repeat(129),
    ]) {
      expect(() => parseKeyRef(value, CONFIG)).toThrow(CognitoError);
      try {
        parseKeyRef(value, CONFIG);
      } catch (error) {
        expect((error as CognitoError).type).toBe("NotFoundException");
      }
    }
  });

  it("uses the Region's partition for bare ids", () => {
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(parseKeyRef("k1", { region: "cn-north-1", accountId: "000000000000" })).toEqual({
      kind: "key",
      arn: "arn:aws-cn:kms:cn-north-1:000000000000:key/k1",
    });
  });
});

describe("key ARNs", () => {
  it("split into account, Region and key id", () => {
    const arn = "arn:aws:kms:ap-northeast-1:248189919476:key/ac34a806-9969-4d93-a71d-0a4ccff927b0";
    expect(isKeyArn(arn)).toBe(true);
    expect(splitKeyArn(arn)).toEqual({
      accountId: "248189919476",
      region: "ap-northeast-1",
      keyId: "ac34a806-9969-4d93-a71d-0a4ccff927b0",
    });
    expect(isKeyArn("arn:aws:kms:us-east-1:000000000000:alias/x")).toBe(false);
    expect(isKeyArn("ac34a806-9969-4d93-a71d-0a4ccff927b0")).toBe(false);
  });
});
