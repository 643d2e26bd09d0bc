// The custom-auth tests' Lambda: fixture handler files run by the real worker invoker, every event recorded.
//
// Each `<name>.mjs` in the fixture directory is the function `<name>` (ARN below) with a `handler` export;
// the worker-thread invoker runs it as `serve` would, and this wrapper keeps the events Cognito sent and
// what each handler answered, so tests can assert the exact events.
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type {
  FunctionDefinition,
  InvokeOptions,
  InvokeResult,
  LambdaInvoker,
} from "../../src/lambda/ports.js";
import { createRegistry, functionNameOf } from "../../src/lambda/registry.js";
import { createWorkerInvoker } from "../../src/lambda/worker-invoker.js";
import { systemClock } from "../../src/shared/clock.js";
import { cryptoRandom } from "../../src/shared/random.js";

export interface RecordedInvocation {
  functionName: string;
  /** The event exactly as Cognito sent it. */
  event: Record<string, unknown>;
  /** The handler's result (undefined when it failed). */
  result: unknown;
  functionError?: string | undefined;
}

export class FixtureInvoker implements LambdaInvoker {
  readonly calls: RecordedInvocation[] = [];
  private readonly inner: LambdaInvoker;

  constructor(directory: string) {
    const definitions: FunctionDefinition[] = readdirSync(directory)
      .filter((file) => file.endsWith(".mjs"))
      .map((file) => {
        const name = basename(file, ".mjs");
        return {
          name,
          arn: fixtureArn(name),
          modulePath: join(directory, file),
          exportName: "handler",
          cwd: directory,
          runtime: "nodejs20.x",
          timeout: 6,
          memorySize: 1024,
          environment: {},
        };
      });
    this.inner = createWorkerInvoker({
      registry: createRegistry(definitions),
      logs: { append: async () => {} },
      clock: systemClock,
      random: cryptoRandom,
      edgeUrl: () => undefined,
    });
  }

  /** The recorded events of one function, oldest first. */
  eventsOf(functionName: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.functionName === functionName).map((c) => c.event);
  }

  /** `triggerSource`s in invocation order. */
  sources(): string[] {
    return this.calls.map((c) => String(c.event.triggerSource));
  }

  reset(): void {
    this.calls.length = 0;
  }

  async invoke(functionArn: string, payload: string, options?: InvokeOptions): Promise<InvokeResult> {
    const recorded: RecordedInvocation = {
      functionName: functionNameOf(functionArn),
      event: JSON.parse(payload) as Record<string, unknown>,
      result: undefined,
    };
    this.calls.push(recorded);
    const result = await this.inner.invoke(functionArn, payload, options);
    if (result.functionError) recorded.functionError = result.payload;
    else {
      try {
        recorded.result = JSON.parse(result.payload);
      } catch {
        recorded.result = result.payload;
      }
    }
    return result;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The ARN the pool's LambdaConfig uses for a fixture. */
export const fixtureArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

// ---------------------------------------------------------------------------------------------------------
// What the custom-auth tests share: a pool wired to fixture handlers, a client, a user, and the two calls.

export interface CustomAuthTriggers {
  define: string;
  create?: string | undefined;
  verify?: string | undefined;
  /** PreAuthentication, PreTokenGeneration and PostAuthentication handlers (default: `unchanged`). */
  others?: string | undefined;
}

export const OTP: CustomAuthTriggers = { define: "otp-define", create: "otp-create", verify: "otp-verify" };

export function lambdaConfigFor(triggers: CustomAuthTriggers): Record<string, string> {
  const others = fixtureArn(triggers.others ?? "unchanged");
  return {
    DefineAuthChallenge: fixtureArn(triggers.define),
    ...(triggers.create ? { CreateAuthChallenge: fixtureArn(triggers.create) } : {}),
    ...(triggers.verify ? { VerifyAuthChallengeResponse: fixtureArn(triggers.verify) } : {}),
    PreAuthentication: others,
    PreTokenGeneration: others,
    PostAuthentication: others,
  };
}

/** The code the OTP fixture "sent" last (as the user would read it from their e-mail). */
export function lastOtp(invoker: FixtureInvoker): string {
  const created = invoker.calls.filter((c) => c.functionName === "otp-create").at(-1);
  const response = (created?.result as { response?: { privateChallengeParameters?: { code?: string } } })
    ?.response;
  const code = response?.privateChallengeParameters?.code;
  if (!code) throw new Error("no OTP was created");
  return code;
}
