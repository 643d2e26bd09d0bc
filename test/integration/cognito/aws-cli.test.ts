// The AWS CLI v2 against the server with --endpoint-url: create a pool and a client, sign a user up and in.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useTestServer } from "../../helpers/server.js";

const run = promisify(execFile);

/** Debian's AWS CLI v2 (a pyenv shim may put a v1 first on PATH). */
const AWS = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : "aws";

function awsVersion(): string | undefined {
  try {
    return execFileSync(AWS, ["--version"], { encoding: "utf8" });
  } catch {
    return undefined;
  }
}

const get = useTestServer();

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    AWS,
    ["cognito-idp", ...args, "--endpoint-url", get().url, "--region", "us-east-1", "--output", "json"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        AWS_ACCESS_KEY_ID: "AKIDLOCAL",
        AWS_SECRET_ACCESS_KEY: "local-secret",
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    },
  );
  return stdout.trim() === "" ? {} : JSON.parse(stdout);
}

// .ci/run installs Debian's awscli and checks `aws --version` before the tests, so CI never skips this.
describe.skipIf(!awsVersion())("AWS CLI v2", () => {
  it("is version 2", () => {
    expect(awsVersion()).toMatch(/^aws-cli\/2\./);
  });

  it("creates a pool and a client, signs a user up, confirms and signs in", async () => {
    const { UserPool } = (await aws("create-user-pool", "--pool-name", "cli-pool")) as {
      UserPool: { Id: string; Name: string };
    };
    expect(UserPool.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(UserPool.Name).toBe("cli-pool");

    const { UserPoolClient } = (await aws(
      "create-user-pool-client",
      "--user-pool-id",
      UserPool.Id,
      "--client-name",
      "cli-client",
      "--explicit-auth-flows",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    )) as { UserPoolClient: { ClientId: string } };

    const signUp = await aws(
      "sign-up",
      "--client-id",
      UserPoolClient.ClientId,
      "--username",
      "carol",
      "--password",
      "Passw0rd!",
      "--user-attributes",
      "Name=email,Value=carol@example.com",
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.UserSub).toMatch(/^[0-9a-f-]{36}$/);

    await aws("admin-confirm-sign-up", "--user-pool-id", UserPool.Id, "--username", "carol");
    const user = (await aws("admin-get-user", "--user-pool-id", UserPool.Id, "--username", "carol")) as {
      UserStatus: string;
    };
    expect(user.UserStatus).toBe("CONFIRMED");

    const auth = (await aws(
      "initiate-auth",
      "--client-id",
      UserPoolClient.ClientId,
      "--auth-flow",
      "USER_PASSWORD_AUTH",
      "--auth-parameters",
      "USERNAME=carol,PASSWORD=Passw0rd!",
    )) as {
      AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string; TokenType: string };
    };
    expect(auth.AuthenticationResult.TokenType).toBe("Bearer");
    expect(auth.AuthenticationResult.AccessToken.split(".")).toHaveLength(3);
  });

  it("prints Cognito's exception name and message on errors", async () => {
    const failure = await aws("describe-user-pool", "--user-pool-id", "us-east-1_Missing12").catch(
      (error: { stderr: string }) => error,
    );
    expect((failure as { stderr: string }).stderr).toContain("ResourceNotFoundException");
    expect((failure as { stderr: string }).stderr).toContain("User pool us-east-1_Missing12 does not exist.");
  });
});
