// Tests for Create/Update/Delete on fake Cognito and Lambda ports.
import { beforeEach, describe, expect, it } from "vitest";
import { handleRequest } from "./cognito-user-pool.js";
import type { CustomResourceEvent } from "./events.js";
import type {
  AddPermissionInput,
  AwsPorts,
  LambdaConfigType,
  RemovePermissionInput,
  UpdateUserPoolCommandInput,
  UserPoolPage,
  UserPoolType,
} from "./ports.js";

const HANDLER_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-custom-resource-existing-cup";
const ME = "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-fn";
const OTHER = "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-other";
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/1111";

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} from fake`), { name });
}

class FakeAws implements AwsPorts {
  readonly pools = new Map<string, UserPoolType>();
  /** "<function>|<statement id>" to SourceArn */
  readonly permissions = new Map<string, string>();
  readonly calls: string[] = [];
  readonly updates: UpdateUserPoolCommandInput[] = [];
  readonly listTokens: (string | undefined)[] = [];
  pageSize = 60;

  addPool(id: string, name: string, lambdaConfig: LambdaConfigType = {}, extra: UserPoolType = {}): void {
    this.pools.set(id, { Id: id, Name: name, LambdaConfig: lambdaConfig, MfaConfiguration: "OFF", ...extra });
  }

  lambdaConfig(id: string): LambdaConfigType | undefined {
    return this.pools.get(id)?.LambdaConfig;
  }

  readonly cognito = {
    listUserPools: async (nextToken: string | undefined): Promise<UserPoolPage> => {
      this.calls.push("ListUserPools");
      this.listTokens.push(nextToken);
      const all = [...this.pools.values()];
      const start = nextToken === undefined ? 0 : Number(nextToken.replace("token-", ""));
      const end = start + this.pageSize;
      return {
        UserPools: all.slice(start, end).map((pool) => ({ Id: pool.Id, Name: pool.Name })),
        NextToken: end < all.length ? `token-${end}` : undefined,
      };
    },
    describeUserPool: async (userPoolId: string): Promise<UserPoolType> => {
      this.calls.push(`DescribeUserPool ${userPoolId}`);
      const pool = this.pools.get(userPoolId);
      if (!pool) throw awsError("ResourceNotFoundException");
      return structuredClone(pool);
    },
    updateUserPool: async (input: UpdateUserPoolCommandInput): Promise<void> => {
      this.calls.push(`UpdateUserPool ${input.UserPoolId}`);
      const pool = input.UserPoolId === undefined ? undefined : this.pools.get(input.UserPoolId);
      if (!pool) throw awsError("ResourceNotFoundException");
      this.updates.push(input);
      pool.LambdaConfig = structuredClone(input.LambdaConfig);
    },
  };

  readonly lambda = {
    addPermission: async (input: AddPermissionInput): Promise<void> => {
      this.calls.push(`AddPermission ${input.FunctionName} ${input.StatementId}`);
      const key = `${input.FunctionName}|${input.StatementId}`;
      if (this.permissions.has(key)) throw awsError("ResourceConflictException");
      expect(input.Action).toBe("lambda:InvokeFunction");
      expect(input.Principal).toBe("cognito-idp.amazonaws.com");
      this.permissions.set(key, input.SourceArn);
    },
    removePermission: async (input: RemovePermissionInput): Promise<void> => {
      this.calls.push(`RemovePermission ${input.FunctionName} ${input.StatementId}`);
      const key = `${input.FunctionName}|${input.StatementId}`;
      if (!this.permissions.delete(key)) throw awsError("ResourceNotFoundException");
    },
  };
}

function poolArn(id: string): string {
  return `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${id}`;
}

function event(
  RequestType: string,
  ResourceProperties: Record<string, unknown>,
  OldResourceProperties?: Record<string, unknown>,
): CustomResourceEvent {
  return {
    RequestType,
    ResponseURL: "https://cloudformation-custom-resource-response.example/signed",
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/svc-dev/1",
    RequestId: "req-1",
    LogicalResourceId: "FnCustomCognitoUserPool1",
    ResourceType: "Custom::CognitoUserPool",
    ResourceProperties,
    ...(OldResourceProperties ? { OldResourceProperties } : {}),
  };
}

function props(userPoolName: string, UserPoolConfigs: unknown[], FunctionName = "svc-dev-fn") {
  return { ServiceToken: HANDLER_ARN, FunctionName, UserPoolName: userPoolName, UserPoolConfigs };
}

let aws: FakeAws;
let logs: string[];

function run(e: CustomResourceEvent) {
  return handleRequest(e, HANDLER_ARN, { awsPorts: () => aws, log: (line) => logs.push(line) });
}

beforeEach(() => {
  aws = new FakeAws();
  logs = [];
});

describe("Create", () => {
  it("adds the permission, then this function's triggers, keeping the pool's other settings", async () => {
    aws.addPool("eu-west-1_other", "other-pool");
    aws.addPool("eu-west-1_abc", "my-pool", { PreSignUp: OTHER }, { MfaConfiguration: "OPTIONAL" });

    const data = await run(
      event("Create", {
        ...props("my-pool", [
          { Trigger: "PostConfirmation" },
          { Trigger: "CustomEmailSender", LambdaVersion: "V1_0", KMSKeyID: KMS },
          { Trigger: "PreTokenGeneration", LambdaVersion: "V2_0" },
        ]),
        ForceDeploy: "1700000000000",
      }),
    );

    expect(data).toEqual({ UserPoolId: "eu-west-1_abc", UserPoolArn: poolArn("eu-west-1_abc") });
    expect([...aws.permissions]).toEqual([["svc-dev-fn|svc-dev-fn-my-pool", poolArn("eu-west-1_abc")]]);
    expect(aws.calls).toEqual([
      "ListUserPools",
      "AddPermission svc-dev-fn svc-dev-fn-my-pool",
      "DescribeUserPool eu-west-1_abc",
      "UpdateUserPool eu-west-1_abc",
    ]);
    expect(aws.updates).toEqual([
      {
        MfaConfiguration: "OPTIONAL",
        LambdaConfig: {
          PreSignUp: OTHER,
          PostConfirmation: ME,
          CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
          KMSKeyID: KMS,
          PreTokenGeneration: ME,
          PreTokenGenerationConfig: { LambdaArn: ME, LambdaVersion: "V2_0" },
        },
        UserPoolId: "eu-west-1_abc",
      },
    ]);
    expect(aws.lambdaConfig("eu-west-1_other")).toEqual({});
    expect(logs.length).toBeGreaterThan(3);
  });

  it("treats an existing identical permission as present", async () => {
    aws.addPool("eu-west-1_abc", "my-pool");
    aws.permissions.set("svc-dev-fn|svc-dev-fn-my-pool", poolArn("eu-west-1_abc"));
    await run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])));
    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({ PreSignUp: ME });
  });

  it("fails with a clear reason when no pool has the name", async () => {
    aws.addPool("eu-west-1_abc", "my-pool-2");
    await expect(run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])))).rejects.toThrow(
      'User pool "my-pool" was not found in eu-west-1 (account 123456789012).',
    );
    expect(aws.permissions.size).toBe(0);
    expect(aws.updates).toEqual([]);
  });

  it("fails without touching anything when several pools have the name", async () => {
    aws.addPool("eu-west-1_a", "my-pool");
    aws.addPool("eu-west-1_b", "my-pool");
    await expect(run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])))).rejects.toThrow(
      '2 user pools are named "my-pool" in eu-west-1 (account 123456789012) (eu-west-1_a, eu-west-1_b); ' +
        "names must be unique to attach triggers to an existing pool.",
    );
    expect(aws.permissions.size).toBe(0);
    expect(aws.updates).toEqual([]);
  });

  it("follows NextToken to a pool on the third page", async () => {
    aws.pageSize = 2;
    for (let i = 0; i < 4; i += 1) aws.addPool(`eu-west-1_p${i}`, `pool-${i}`);
    aws.addPool("eu-west-1_target", "my-pool");
    aws.addPool("eu-west-1_after", "pool-after");

    const data = await run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])));

    expect(data.UserPoolId).toBe("eu-west-1_target");
    expect(aws.listTokens).toEqual([undefined, "token-2", "token-4"]);
    expect(aws.lambdaConfig("eu-west-1_target")).toEqual({ PreSignUp: ME });
  });

  it("reads every page, so a duplicate on a later page is caught", async () => {
    aws.pageSize = 1;
    aws.addPool("eu-west-1_first", "my-pool");
    aws.addPool("eu-west-1_x", "x");
    aws.addPool("eu-west-1_second", "my-pool");
    await expect(run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])))).rejects.toThrow(
      /^2 user pools are named "my-pool"/,
    );
    expect(aws.listTokens).toHaveLength(3);
  });

  it("matches the name exactly", async () => {
    aws.addPool("eu-west-1_upper", "My-Pool");
    aws.addPool("eu-west-1_space", "my-pool ");
    aws.addPool("eu-west-1_exact", "my-pool");
    const data = await run(event("Create", props("my-pool", [{ Trigger: "PreSignUp" }])));
    expect(data.UserPoolId).toBe("eu-west-1_exact");
  });

  it("rejects an unknown trigger before changing anything", async () => {
    aws.addPool("eu-west-1_abc", "my-pool");
    await expect(run(event("Create", props("my-pool", [{ Trigger: "preSignUp" }])))).rejects.toThrow(
      'Unknown trigger "preSignUp"',
    );
    expect(aws.calls).toEqual([]);
  });
});

describe("Update", () => {
  it("replaces this function's old triggers, keeps other functions' and re-ensures the permission", async () => {
    aws.addPool("eu-west-1_abc", "my-pool", {
      PreSignUp: OTHER,
      PostConfirmation: ME,
      CustomMessage: ME,
      CustomSMSSender: { LambdaArn: OTHER, LambdaVersion: "V1_0" },
      CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
      KMSKeyID: KMS,
    });
    const p = props("my-pool", [{ Trigger: "PreAuthentication" }, { Trigger: "CustomMessage" }]);

    await run(event("Update", p, props("my-pool", [{ Trigger: "PostConfirmation" }])));

    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({
      PreSignUp: OTHER,
      CustomSMSSender: { LambdaArn: OTHER, LambdaVersion: "V1_0" },
      KMSKeyID: KMS,
      PreAuthentication: ME,
      CustomMessage: ME,
    });
    expect(aws.permissions.get("svc-dev-fn|svc-dev-fn-my-pool")).toBe(poolArn("eu-west-1_abc"));

    // Second run: the permission now exists, which must not fail the update.
    await run(event("Update", p, p));
    expect(aws.calls.filter((call) => call.startsWith("AddPermission"))).toHaveLength(2);
  });

  it("drops KMSKeyID when this function's custom sender goes and no other sender remains", async () => {
    aws.addPool("eu-west-1_abc", "my-pool", {
      PreSignUp: OTHER,
      CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
      KMSKeyID: KMS,
    });
    await run(event("Update", props("my-pool", [{ Trigger: "PostConfirmation" }])));
    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({ PreSignUp: OTHER, PostConfirmation: ME });
  });

  it("moves the function to a renamed pool: permission and triggers leave the old pool", async () => {
    aws.addPool("eu-west-1_old", "old-pool", { PreSignUp: ME, PostConfirmation: OTHER });
    aws.addPool("eu-west-1_new", "new-pool", { CustomMessage: OTHER });
    aws.permissions.set("svc-dev-fn|svc-dev-fn-old-pool", poolArn("eu-west-1_old"));

    const data = await run(
      event(
        "Update",
        props("new-pool", [{ Trigger: "PreSignUp" }]),
        props("old-pool", [{ Trigger: "PreSignUp" }]),
      ),
    );

    expect(data.UserPoolId).toBe("eu-west-1_new");
    expect(aws.lambdaConfig("eu-west-1_new")).toEqual({ CustomMessage: OTHER, PreSignUp: ME });
    expect(aws.lambdaConfig("eu-west-1_old")).toEqual({ PostConfirmation: OTHER });
    expect([...aws.permissions]).toEqual([["svc-dev-fn|svc-dev-fn-new-pool", poolArn("eu-west-1_new")]]);
  });

  it("moves to a renamed pool even when the old pool no longer exists", async () => {
    aws.addPool("eu-west-1_new", "new-pool");
    aws.permissions.set("svc-dev-fn|svc-dev-fn-old-pool", poolArn("eu-west-1_gone"));
    await run(event("Update", props("new-pool", [{ Trigger: "PreSignUp" }]), props("old-pool", [])));
    expect(aws.lambdaConfig("eu-west-1_new")).toEqual({ PreSignUp: ME });
    expect([...aws.permissions.keys()]).toEqual(["svc-dev-fn|svc-dev-fn-new-pool"]);
  });

  it("replaces a permission whose statement id the old and new pool names share", async () => {
    // "My.Pool" and "my pool" both normalise to "mypool".
    aws.addPool("eu-west-1_old", "My.Pool", { PreSignUp: ME });
    aws.addPool("eu-west-1_new", "my pool");
    aws.permissions.set("svc-dev-fn|svc-dev-fn-mypool", poolArn("eu-west-1_old"));

    await run(event("Update", props("my pool", [{ Trigger: "PreSignUp" }]), props("My.Pool", [])));

    expect([...aws.permissions]).toEqual([["svc-dev-fn|svc-dev-fn-mypool", poolArn("eu-west-1_new")]]);
    expect(aws.lambdaConfig("eu-west-1_old")).toEqual({});
    expect(aws.lambdaConfig("eu-west-1_new")).toEqual({ PreSignUp: ME });
  });

  it("hands the pool's triggers over when the function is renamed", async () => {
    // svc-dev-other is the function's previous name; THIRD belongs to somebody else.
    const THIRD = "arn:aws:lambda:eu-west-1:123456789012:function:svc-dev-third";
    aws.addPool("eu-west-1_abc", "my-pool", {
      PreSignUp: OTHER,
      PostConfirmation: OTHER,
      UserMigration: THIRD,
    });
    aws.permissions.set("svc-dev-other|svc-dev-other-my-pool", poolArn("eu-west-1_abc"));

    await run(
      event(
        "Update",
        props("my-pool", [{ Trigger: "PreSignUp" }]),
        props("my-pool", [{ Trigger: "PreSignUp" }, { Trigger: "PostConfirmation" }], "svc-dev-other"),
      ),
    );

    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({ PreSignUp: ME, UserMigration: THIRD });
    expect([...aws.permissions.keys()]).toEqual(["svc-dev-fn|svc-dev-fn-my-pool"]);
  });

  it("fails when the new pool is missing, leaving the old one alone", async () => {
    aws.addPool("eu-west-1_old", "old-pool", { PreSignUp: ME });
    aws.permissions.set("svc-dev-fn|svc-dev-fn-old-pool", poolArn("eu-west-1_old"));
    await expect(
      run(event("Update", props("new-pool", [{ Trigger: "PreSignUp" }]), props("old-pool", []))),
    ).rejects.toThrow('User pool "new-pool" was not found');
    expect(aws.lambdaConfig("eu-west-1_old")).toEqual({ PreSignUp: ME });
    expect(aws.permissions.size).toBe(1);
  });
});

describe("Delete", () => {
  it("removes this function's triggers, keeps the others, then the permission", async () => {
    aws.addPool("eu-west-1_abc", "my-pool", {
      PreSignUp: OTHER,
      PostConfirmation: ME,
      CustomEmailSender: { LambdaArn: ME, LambdaVersion: "V1_0" },
      KMSKeyID: KMS,
    });
    aws.permissions.set("svc-dev-fn|svc-dev-fn-my-pool", poolArn("eu-west-1_abc"));

    expect(await run(event("Delete", props("my-pool", [{ Trigger: "PostConfirmation" }])))).toEqual({});

    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({ PreSignUp: OTHER });
    expect(aws.permissions.size).toBe(0);
    expect(aws.calls).toEqual([
      "ListUserPools",
      "DescribeUserPool eu-west-1_abc",
      "UpdateUserPool eu-west-1_abc",
      "RemovePermission svc-dev-fn svc-dev-fn-my-pool",
    ]);
  });

  it("succeeds when the pool and the permission are already gone", async () => {
    aws.addPool("eu-west-1_x", "unrelated", { PreSignUp: ME });
    await expect(run(event("Delete", props("my-pool", [])))).resolves.toEqual({});
    expect(aws.calls).toEqual(["ListUserPools", "RemovePermission svc-dev-fn svc-dev-fn-my-pool"]);
    expect(aws.lambdaConfig("eu-west-1_x")).toEqual({ PreSignUp: ME });
  });

  it("succeeds when the permission is gone but the pool still has the triggers", async () => {
    aws.addPool("eu-west-1_abc", "my-pool", { PreSignUp: ME });
    await expect(run(event("Delete", props("my-pool", [])))).resolves.toEqual({});
    expect(aws.lambdaConfig("eu-west-1_abc")).toEqual({});
  });

  it("detaches from every same-named pool that invokes the function, and only those", async () => {
    aws.addPool("eu-west-1_a", "my-pool", { PreSignUp: ME });
    aws.addPool("eu-west-1_b", "my-pool", { PreSignUp: OTHER });
    await run(event("Delete", props("my-pool", [])));
    expect(aws.lambdaConfig("eu-west-1_a")).toEqual({});
    expect(aws.updates.map((update) => update.UserPoolId)).toEqual(["eu-west-1_a"]);
  });

  it("succeeds for properties that could never have attached anything", async () => {
    await expect(run(event("Delete", { ServiceToken: HANDLER_ARN }))).resolves.toEqual({});
    expect(aws.calls).toEqual([]);
  });

  it("still fails on errors other than 'not found'", async () => {
    aws.addPool("eu-west-1_abc", "my-pool", { PreSignUp: ME });
    aws.lambda.removePermission = async () => {
      throw awsError("AccessDeniedException");
    };
    await expect(run(event("Delete", props("my-pool", [])))).rejects.toThrow(
      "AccessDeniedException from fake",
    );
  });
});

describe("RequestType", () => {
  it("rejects an unknown one as Serverless does", async () => {
    await expect(run(event("Replace", props("my-pool", [])))).rejects.toThrow(
      "Unhandled RequestType Replace",
    );
    expect(aws.calls).toEqual([]);
  });
});
