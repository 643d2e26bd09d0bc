// ListUsers through the SDK over 150 users: filters, case rules, sorting, AttributesToGet and pagination.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";
import { createPool, PASSWORD } from "./signup-helpers.js";

const get = useTestServer();

const COUNT = 150;
const GIVEN_NAMES = ["Anna", "Ann", "bob", "Bea", "Carl"];
const pad = (i: number) => String(i).padStart(3, "0");
let poolId = "";

const attribute = (user: UserType, name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;

/** Every page of a listing, following PaginationToken. */
async function listAll(
  input: Omit<ListUsersCommandInput, "UserPoolId">,
): Promise<{ users: UserType[]; pages: number[] }> {
  const users: UserType[] = [];
  const pages: number[] = [];
  let token: string | undefined;
  do {
    const out = await get().cognito.send(
      new ListUsersCommand({ UserPoolId: poolId, ...input, PaginationToken: token }),
    );
    users.push(...(out.Users ?? []));
    pages.push(out.Users?.length ?? 0);
    token = out.PaginationToken;
  } while (token);
  return { users, pages };
}

beforeAll(async () => {
  const { cognito } = get();
  poolId = await createPool(cognito);
  await Promise.all(
    Array.from({ length: COUNT }, (_, i) =>
      cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `user-${pad(i)}`,
          TemporaryPassword: PASSWORD,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: `User${pad(i)}@Example.com` },
            { Name: "given_name", Value: GIVEN_NAMES[i % GIVEN_NAMES.length] ?? "" },
            { Name: "family_name", Value: i === 7 ? 'O"Brien' : `Family${pad(i)}` },
          ],
        }),
      ),
    ),
  );
  // Every tenth user confirmed, every fifteenth disabled.
  for (let i = 0; i < COUNT; i += 10)
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: `user-${pad(i)}`,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  for (let i = 0; i < COUNT; i += 15)
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: `user-${pad(i)}` }));
});

describe("ListUsers", () => {
  it("pages through every user, 60 at a time by default", async () => {
    const { users, pages } = await listAll({});
    expect(pages).toEqual([60, 60, 30]);
    const names = users.map((u) => u.Username);
    expect(new Set(names).size).toBe(COUNT);
    expect([...names].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `user-${pad(i)}`));
    const first = users.find((u) => u.Username === "user-001");
    expect(first).toMatchObject({ Enabled: true, UserStatus: "FORCE_CHANGE_PASSWORD" });
    expect(first?.UserCreateDate).toBeInstanceOf(Date);
    expect(attribute(first ?? {}, "email")).toBe("User001@Example.com");
    expect(first?.Attributes?.[0]?.Name).toBe("sub");
  });

  it("honours Limit", async () => {
    const { users, pages } = await listAll({ Limit: 40 });
    expect(pages).toEqual([40, 40, 40, 30]);
    expect(new Set(users.map((u) => u.Username)).size).toBe(COUNT);
  });

  it("matches = exactly", async () => {
    const { users } = await listAll({ Filter: 'email = "User042@Example.com"' });
    expect(users.map((u) => u.Username)).toEqual(["user-042"]);
    const none = await listAll({ Filter: 'email = "User042@Example"' });
    expect(none.users).toEqual([]);
  });

  it("matches emails and usernames without regard to case in case-insensitive pools", async () => {
    const { cognito } = get();
    const other = await createPool(cognito, { UsernameConfiguration: { CaseSensitive: false } });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: other,
        Username: "MixedCase",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "Mixed@Example.com" }],
      }),
    );
    for (const Filter of ['email = "mixed@example.COM"', 'username = "mixedcase"', 'username ^= "MIXED"']) {
      const out = await cognito.send(new ListUsersCommand({ UserPoolId: other, Filter }));
      expect(out.Users?.map((u) => u.Username)).toEqual(["MixedCase"]);
    }
  });

  it("matches ^= as a prefix, sorted by the filtered attribute", async () => {
    const { users } = await listAll({ Filter: 'given_name ^= "an"', Limit: 7 });
    expect(users).toHaveLength(60);
    const values = users.map((u) => attribute(u, "given_name") ?? "");
    expect(new Set(values)).toEqual(new Set(["Ann", "Anna"]));
    expect(values.indexOf("Anna")).toBe(30);
    expect(values.lastIndexOf("Ann")).toBe(29);
  });

  it("filters by username prefix, sub, status and user status", async () => {
    const prefix = await listAll({ Filter: 'username ^= "user-01"' });
    expect(prefix.users.map((u) => u.Username)).toEqual(Array.from({ length: 10 }, (_, i) => `user-01${i}`));

    const target = prefix.users[3];
    const sub = attribute(target ?? {}, "sub") ?? "";
    const bySub = await listAll({ Filter: `sub = "${sub}"` });
    expect(bySub.users.map((u) => u.Username)).toEqual([target?.Username]);

    const disabled = await listAll({ Filter: 'status = "Disabled"' });
    expect(disabled.users.map((u) => u.Username).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `user-${pad(i * 15)}`),
    );
    expect(disabled.users.every((u) => u.Enabled === false)).toBe(true);

    const confirmed = await listAll({ Filter: 'cognito:user_status = "confirmed"' });
    expect(confirmed.users.map((u) => u.Username).sort()).toEqual(
      Array.from({ length: 15 }, (_, i) => `user-${pad(i * 10)}`),
    );
    expect(confirmed.users.every((u) => u.UserStatus === "CONFIRMED")).toBe(true);
  });

  it("reads escaped quotes in values", async () => {
    const { users } = await listAll({ Filter: 'family_name = "O\\"Brien"' });
    expect(users.map((u) => u.Username)).toEqual(["user-007"]);
  });

  it("returns only AttributesToGet", async () => {
    const out = await get().cognito.send(
      new ListUsersCommand({
        UserPoolId: poolId,
        Filter: 'username = "user-006"',
        AttributesToGet: ["email", "given_name"],
      }),
    );
    expect(out.Users?.[0]?.Attributes).toEqual([
      { Name: "email", Value: "User006@Example.com" },
      { Name: "given_name", Value: "Ann" },
    ]);
  });

  it("refuses unsearchable attributes and unparsable filters", async () => {
    const { cognito } = get();
    const list = (Filter: string) =>
      errorOf(cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter })));
    expect(await list('custom:tier = "gold"')).toEqual({
      name: "InvalidParameterException",
      message: "Invalid search attribute: custom:tier",
    });
    expect(await list('nickname ^= "a"')).toEqual({
      name: "InvalidParameterException",
      message: "Invalid search attribute: nickname",
    });
    for (const filter of [
      'email "a"',
      "email = a",
      'email = "a" and name = "b"',
      'email != "a"',
      'email = "a',
    ])
      expect(await list(filter)).toEqual({
        name: "InvalidParameterException",
        message: "Error while parsing filter",
      });
  });

  it("validates Limit, PaginationToken and the pool", async () => {
    const { cognito } = get();
    expect(await errorOf(cognito.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 61 })))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    expect(
      await errorOf(cognito.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: "garbage" }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Invalid pagination token",
    });
    // A token belongs to the listing that made it.
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 5 }));
    expect(
      await errorOf(
        cognito.send(
          new ListUsersCommand({
            UserPoolId: poolId,
            Filter: 'email ^= "user"',
            PaginationToken: page.PaginationToken,
          }),
        ),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "Invalid pagination token" });
    expect(await errorOf(cognito.send(new ListUsersCommand({ UserPoolId: "us-east-1_gone" })))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_gone does not exist.",
    });
  });
});
