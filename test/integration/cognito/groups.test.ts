// Groups and memberships over the real socket with the AWS SDK: CRUD, paging, membership rules, errors.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  type GroupType,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { errorOf, useTestServer } from "../../helpers/server.js";

const get = useTestServer();

const ROLE = "arn:aws:iam::123456789012:role/admins";

async function newPool(): Promise<string> {
  const { UserPool } = await get().cognito.send(new CreateUserPoolCommand({ PoolName: "groups" }));
  return UserPool?.Id as string;
}

async function newUser(poolId: string, username: string): Promise<void> {
  await get().cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
}

async function newGroup(
  poolId: string,
  GroupName: string,
  extra: Partial<GroupType> = {},
): Promise<GroupType> {
  const { Group } = await get().cognito.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName, ...extra }),
  );
  if (!Group) throw new Error("no group returned");
  return Group;
}

const add = (poolId: string, Username: string, GroupName: string) =>
  get().cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName }));

/** Every page of a listing, asserting page sizes; returns the items in order. */
async function allPages<T>(
  limit: number,
  fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages++;
    expect(page.items?.length ?? 0).toBeLessThanOrEqual(limit);
    items.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return { items, pages };
}

const groupNotFound = { name: "ResourceNotFoundException", message: "Group not found." };
const userNotFound = { name: "UserNotFoundException", message: "User does not exist." };

describe("CreateGroup / GetGroup / UpdateGroup / DeleteGroup", () => {
  let poolId = "";
  beforeAll(async () => {
    poolId = await newPool();
  });

  it("creates a group and reads it back", async () => {
    const group = await newGroup(poolId, "admins", {
      Description: "Administrators",
      RoleArn: ROLE,
      Precedence: 1,
    });
    expect(group).toEqual({
      GroupName: "admins",
      UserPoolId: poolId,
      Description: "Administrators",
      RoleArn: ROLE,
      Precedence: 1,
      CreationDate: new Date(get().clock.ms),
      LastModifiedDate: new Date(get().clock.ms),
    });
    const { Group } = await get().cognito.send(
      new GetGroupCommand({ UserPoolId: poolId, GroupName: "admins" }),
    );
    expect(Group).toEqual(group);
  });

  it("leaves out what the group does not have", async () => {
    const group = await newGroup(poolId, "plain");
    expect(Object.keys(group).sort()).toEqual([
      "CreationDate",
      "GroupName",
      "LastModifiedDate",
      "UserPoolId",
    ]);
  });

  it("refuses a second group of the same name", async () => {
    await newGroup(poolId, "unique");
    expect(await errorOf(newGroup(poolId, "unique"))).toEqual({
      name: "GroupExistsException",
      message: "A group with the name already exists.",
    });
  });

  it("validates the group's members", async () => {
    expect(await errorOf(newGroup(poolId, "has space"))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'has space' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    });
    expect(await errorOf(newGroup(poolId, "negative", { Precedence: -1 }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
    expect(await errorOf(newGroup("us-east-1_nopool000", "orphans"))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nopool000 does not exist.",
    });
  });

  it("updates the members the request names", async () => {
    const created = await newGroup(poolId, "editors", { Description: "Editors", Precedence: 5 });
    get().clock.advance(2000);
    const { Group } = await get().cognito.send(
      new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "editors", RoleArn: ROLE, Precedence: 2 }),
    );
    expect(Group).toEqual({
      ...created,
      RoleArn: ROLE,
      Precedence: 2,
      LastModifiedDate: new Date(get().clock.ms),
    });
    expect(
      (await get().cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "editors" }))).Group,
    ).toEqual(Group);
  });

  it("answers Group not found for a group the pool does not have", async () => {
    const other = await newPool();
    await newGroup(other, "elsewhere");
    expect(
      await errorOf(get().cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "elsewhere" }))),
    ).toEqual(groupNotFound);
    expect(
      await errorOf(
        get().cognito.send(
          new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "missing", Precedence: 1 }),
        ),
      ),
    ).toEqual(groupNotFound);
    expect(
      await errorOf(get().cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "missing" }))),
    ).toEqual(groupNotFound);
  });

  it("deletes a group and its memberships, keeping the users", async () => {
    await newGroup(poolId, "temporary");
    await newUser(poolId, "member");
    await add(poolId, "member", "temporary");
    await get().cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "temporary" }));
    expect(
      await errorOf(get().cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "temporary" }))),
    ).toEqual(groupNotFound);
    const { Groups } = await get().cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "member" }),
    );
    expect(Groups).toEqual([]);
    // A new group of the same name starts empty.
    await newGroup(poolId, "temporary");
    const { Users } = await get().cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "temporary" }),
    );
    expect(Users).toEqual([]);
  });
});

describe("ListGroups", () => {
  it("pages through the pool's groups exactly once, in name order", async () => {
    const poolId = await newPool();
    const names = ["delta", "alpha", "echo", "charlie", "bravo"];
    for (const name of names) await newGroup(poolId, name);
    const { items, pages } = await allPages(2, async (token) => {
      const page = await get().cognito.send(
        new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: token }),
      );
      return { items: page.Groups, next: page.NextToken };
    });
    expect(pages).toBe(3);
    expect(items.map((g) => g.GroupName)).toEqual([...names].sort());
    expect(items[0]).toMatchObject({ GroupName: "alpha", UserPoolId: poolId });
  });

  it("checks Limit and the token", async () => {
    const poolId = await newPool();
    expect(
      await errorOf(get().cognito.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 61 }))),
    ).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    const forged = await errorOf(
      get().cognito.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: "forged" })),
    );
    expect(forged.name).toBe("InvalidParameterException");
  });
});

describe("memberships", () => {
  let poolId = "";
  beforeAll(async () => {
    poolId = await newPool();
    await newGroup(poolId, "readers", { Precedence: 3 });
    await newGroup(poolId, "writers");
    await newUser(poolId, "alice");
    await newUser(poolId, "bob");
  });

  it("adds a user to groups once, however often asked, and lists them", async () => {
    await add(poolId, "alice", "writers");
    await add(poolId, "alice", "readers");
    await add(poolId, "alice", "readers");
    const { Groups } = await get().cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "alice" }),
    );
    expect(Groups?.map((g) => g.GroupName)).toEqual(["readers", "writers"]);
    expect(Groups?.[0]).toMatchObject({ GroupName: "readers", UserPoolId: poolId, Precedence: 3 });
  });

  it("lists a group's members as users", async () => {
    await add(poolId, "bob", "writers");
    await add(poolId, "alice", "writers");
    const { Users } = await get().cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "writers" }),
    );
    expect(Users?.map((u) => u.Username)).toEqual(["alice", "bob"]);
    const bob = Users?.[1];
    expect(bob).toMatchObject({ Username: "bob", Enabled: true, UserStatus: "FORCE_CHANGE_PASSWORD" });
    expect(bob?.Attributes).toContainEqual({ Name: "email", Value: "bob@example.com" });
    expect(bob?.Attributes?.[0]?.Name).toBe("sub");
    expect(bob?.UserCreateDate).toBeInstanceOf(Date);
  });

  it("removes a user from a group; removing again is fine", async () => {
    await add(poolId, "bob", "readers");
    const remove = () =>
      get().cognito.send(
        new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: "bob", GroupName: "readers" }),
      );
    await remove();
    await remove();
    const { Users } = await get().cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "readers" }),
    );
    expect(Users?.map((u) => u.Username)).not.toContain("bob");
  });

  it("answers UserNotFoundException and Group not found", async () => {
    expect(await errorOf(add(poolId, "nobody", "readers"))).toEqual(userNotFound);
    expect(await errorOf(add(poolId, "alice", "nogroup"))).toEqual(groupNotFound);
    expect(
      await errorOf(
        get().cognito.send(
          new AdminRemoveUserFromGroupCommand({
            UserPoolId: poolId,
            Username: "nobody",
            GroupName: "readers",
          }),
        ),
      ),
    ).toEqual(userNotFound);
    expect(
      await errorOf(
        get().cognito.send(
          new AdminRemoveUserFromGroupCommand({
            UserPoolId: poolId,
            Username: "alice",
            GroupName: "nogroup",
          }),
        ),
      ),
    ).toEqual(groupNotFound);
    expect(
      await errorOf(
        get().cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "nobody" })),
      ),
    ).toEqual(userNotFound);
    expect(
      await errorOf(
        get().cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "nogroup" })),
      ),
    ).toEqual(groupNotFound);
  });

  it("finds the user by sub as well as by username", async () => {
    const { Users } = await get().cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "writers" }),
    );
    const sub = Users?.[0]?.Attributes?.find((a) => a.Name === "sub")?.Value as string;
    const { Groups } = await get().cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: sub }),
    );
    expect(Groups?.map((g) => g.GroupName)).toContain("writers");
  });

  it("pages through memberships in both directions exactly once", async () => {
    const pool = await newPool();
    await newUser(pool, "member");
    const groups = ["g1", "g2", "g3", "g4", "g5"];
    for (const name of groups) {
      await newGroup(pool, name);
      await add(pool, "member", name);
    }
    const users = ["u1", "u2", "u3", "u4", "u5"];
    for (const name of users) {
      await newUser(pool, name);
      await add(pool, name, "g1");
    }

    const byUser = await allPages(2, async (token) => {
      const page = await get().cognito.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: pool,
          Username: "member",
          Limit: 2,
          NextToken: token,
        }),
      );
      return { items: page.Groups, next: page.NextToken };
    });
    expect(byUser.items.map((g) => g.GroupName)).toEqual(groups);
    expect(byUser.pages).toBe(3);

    const byGroup = await allPages(4, async (token) => {
      const page = await get().cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: "g1", Limit: 4, NextToken: token }),
      );
      return { items: page.Users, next: page.NextToken };
    });
    expect(byGroup.items.map((u) => u.Username)).toEqual(["member", ...users]);
    expect(byGroup.pages).toBe(2);
  });

  it("stops a user at 100 groups", async () => {
    const pool = await newPool();
    await newUser(pool, "joiner");
    for (let i = 0; i < 101; i++) await newGroup(pool, `group-${String(i).padStart(3, "0")}`);
    for (let i = 0; i < 100; i++) await add(pool, "joiner", `group-${String(i).padStart(3, "0")}`);
    // Adding to a group the user is already in is still fine at the limit.
    await add(pool, "joiner", "group-000");
    const error = await errorOf(add(pool, "joiner", "group-100"));
    expect(error.name).toBe("LimitExceededException");
  });
});
