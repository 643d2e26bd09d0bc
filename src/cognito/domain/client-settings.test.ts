// Tests for app client settings: defaults, token validity units and ranges, secrets and ids.
import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/random.js";
import type { PoolRecord } from "../../store/model.js";
import { createSqliteStore } from "../../store/sqlite.js";
import { CognitoError } from "../errors.js";
import { clientSettings, newClientId, requestedSecret } from "./client-settings.js";
import { tokenValidity } from "./clients.js";
import { createPoolSettings } from "./pool-settings.js";

const pool: PoolRecord = {
  id: "us-east-1_Example1",
  name: "p",
  settings: createPoolSettings({ Schema: [{ Name: "plan" }] }),
  createdAt: 0,
  lastModifiedAt: 0,
};

const settingsOf = (input: Record<string, unknown>) =>
  clientSettings(pool, input, { secret: undefined, name: "app", verb: "creating" });

const errorOf = (work: () => unknown): string => {
  try {
    work();
  } catch (error) {
    if (error instanceof CognitoError) return `${error.type}: ${error.message}`;
    throw error;
  }
  throw new Error("expected an error");
};

const counting = (): Random => {
  let n = 0;
  return { bytes: () => Buffer.alloc(0), int: (max) => n++ % max, uuid: () => "" };
};

describe("clientSettings", () => {
  it("fills in the API defaults", () => {
    expect(settingsOf({})).toEqual({
      ClientName: "app",
      RefreshTokenValidity: 30,
      TokenValidityUnits: {},
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: "LEGACY",
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
    });
  });

  it("writes the default refresh lifetime in the refresh unit", () => {
    expect(settingsOf({ TokenValidityUnits: { RefreshToken: "hours" } }).RefreshTokenValidity).toBe(720);
    expect(
      settingsOf({ RefreshTokenValidity: 0, TokenValidityUnits: { RefreshToken: "minutes" } })
        .RefreshTokenValidity,
    ).toBe(43200);
  });

  it("gives the lifetimes tokens are issued with", () => {
    const settings = settingsOf({
      AccessTokenValidity: 15,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: "minutes" },
    });
    expect(
      tokenValidity({ clientId: "c", poolId: pool.id, settings, createdAt: 0, lastModifiedAt: 0 }),
    ).toEqual({
      access: 900,
      id: 7200,
      refresh: 30 * 86400,
    });
  });

  it("refuses lifetimes out of range", () => {
    for (const input of [
      { AccessTokenValidity: 299, TokenValidityUnits: { AccessToken: "seconds" } },
      { IdTokenValidity: 2, TokenValidityUnits: { IdToken: "days" } },
      { RefreshTokenValidity: 3599, TokenValidityUnits: { RefreshToken: "seconds" } },
      { RefreshTokenValidity: 3651 },
      { IdTokenValidity: 2, RefreshTokenValidity: 1, TokenValidityUnits: { RefreshToken: "hours" } },
    ])
      expect(errorOf(() => settingsOf(input))).toBe(
        "InvalidParameterException: Invalid range for token validity",
      );
  });

  it("echoes read and write permissions only when set, deduplicated", () => {
    expect(settingsOf({ ReadAttributes: [] }).ReadAttributes).toBeUndefined();
    expect(settingsOf({ ReadAttributes: ["email", "email", "custom:plan"] }).ReadAttributes).toEqual([
      "email",
      "custom:plan",
    ]);
    expect(errorOf(() => settingsOf({ WriteAttributes: ["sub"] }))).toBe(
      "InvalidParameterException: Invalid write attributes specified while creating a client",
    );
  });

  it("refuses mixing legacy and ALLOW_ auth flows", () => {
    expect(settingsOf({ ExplicitAuthFlows: ["CUSTOM_AUTH_FLOW_ONLY"] }).ExplicitAuthFlows).toEqual([
      "CUSTOM_AUTH_FLOW_ONLY",
    ]);
    expect(
      errorOf(() => settingsOf({ ExplicitAuthFlows: ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] })),
    ).toMatch(/^InvalidParameterException: /);
  });

  it("keeps client_credentials alone", () => {
    expect(
      errorOf(() =>
        clientSettings(
          pool,
          { AllowedOAuthFlows: ["client_credentials", "code"] },
          { secret: "s", name: "a", verb: "creating" },
        ),
      ),
    ).toMatch(/^InvalidOAuthFlowException: /);
  });
});

describe("secrets and ids", () => {
  it("generates a 52-character secret, takes a given one, refuses both", () => {
    expect(requestedSecret(counting(), { GenerateSecret: true })).toMatch(/^[a-z0-9]{52}$/);
    expect(requestedSecret(counting(), { ClientSecret: "given" })).toBe("given");
    expect(requestedSecret(counting(), {})).toBeUndefined();
    expect(
      errorOf(() => requestedSecret(counting(), { GenerateSecret: true, ClientSecret: "given" })),
    ).toMatch(/^InvalidParameterException: /);
  });

  it("makes 26-character ids", async () => {
    const store = createSqliteStore({ memory: true });
    const id = await store.transaction((tx) => newClientId(tx, counting()));
    expect(id).toBe("abcdefghijklmnopqrstuvwxyz");
  });
});
