// CUSTOM_AUTH: Cognito's challenge loop around DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse.
//
// Every round is one API call: the session history grows by one ChallengeResult, Define decides, and the
// client gets tokens, a failure or a challenge with a NEW single-use Session (the one it answered is spent,
// also when a trigger fails). The history lives in the session record, never in the client's hands.
// Cognito publishes no limit on the number of rounds: Define ends the loop, and each round must be answered
// within the client's AuthSessionValidity. Failed answers to custom challenges do not count towards the
// password lockout; a PASSWORD_VERIFIER inside the flow does.

import type { ClientRecord, PoolRecord, UserRecord, WireObject } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import {
  invalidParameter,
  MESSAGES,
  notAuthorized,
  passwordResetRequired,
  userNotConfirmed,
  userNotFound,
} from "../errors.js";
import { passwordAttempt, preAuthentication, requireParameter, unknownUser } from "./auth-flow.js";
import { openSession, takeSession } from "./auth-session.js";
import { fakeChallengeSecret, openSecretBlock, sealSecretBlock, timestampParses } from "./auth-srp.js";
import { checkSecretHash, preventsUserExistenceErrors } from "./clients.js";
import {
  type Actor,
  type ChallengeResult,
  createAuthChallenge,
  defineAuthChallenge,
  unrecognizable,
  verifyAuthChallengeResponse,
} from "./custom-auth-events.js";
import { lambdaConfig, poolShortName, usernameAttributes } from "./pools.js";
import { completeSignIn } from "./sign-in.js";
import { fakeSrpChallenge, isValidA, startServerSession, verifyClaim } from "./srp.js";
import { findUser, normalise } from "./users.js";

/** Session `challenge` values of this flow (distinct from any other flow's, so sessions never cross over). */
const CUSTOM_SESSION = "CUSTOM_CHALLENGE";
const VERIFIER_SESSION = "CUSTOM_AUTH/PASSWORD_VERIFIER";

/** What a custom-auth session carries from one round to the next. */
interface FlowState {
  /** The internal username, or the typed name when no user has it (PreventUserExistenceErrors). */
  userName: string;
  found: boolean;
  history: ChallengeResult[];
  /** The client's SRP_A, when the flow began with CHALLENGE_NAME=SRP_A. */
  srpA?: string | undefined;
  /** The CUSTOM_CHALLENGE being answered. */
  privateParameters?: Record<string, string> | undefined;
  metadata?: string | null | undefined;
  /** The PASSWORD_VERIFIER being answered: the SECRET_BLOCK issued and the USER_ID_FOR_SRP it names. */
  secretBlock?: string | undefined;
  userIdForSrp?: string | undefined;
}

interface Flow {
  ctx: ActionContext;
  pool: PoolRecord;
  client: ClientRecord;
}

export interface CustomAuthStart extends Flow {
  params: Record<string, string>;
  /** InitiateAuth's ClientMetadata: PreAuthentication's validationData, never the challenge triggers'. */
  clientMetadata: Record<string, string> | undefined;
}

export interface CustomAuthAnswer extends Flow {
  session: string | undefined;
  responses: Record<string, string>;
  /** RespondToAuthChallenge's ClientMetadata: reaches Define, Create, Verify and the token triggers. */
  clientMetadata: Record<string, string> | undefined;
}

const incorrect = () => notAuthorized(MESSAGES.incorrectCredentials);

/** InitiateAuth / AdminInitiateAuth with AuthFlow=CUSTOM_AUTH. */
export async function startCustomAuth(f: CustomAuthStart): Promise<Record<string, unknown>> {
  const { ctx, pool, client, params } = f;
  if (!lambdaConfig(pool)?.DefineAuthChallenge)
    throw invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  const typed = requireParameter(params, "USERNAME");
  checkSecretHash(client, typed, params.SECRET_HASH);
  // Password verification first: the history starts with the SRP_A Cognito accepted.
  let srpA: string | undefined;
  if (params.CHALLENGE_NAME === "SRP_A") {
    srpA = requireParameter(params, "SRP_A");
    if (!isValidA(srpA)) throw invalidParameter("SRP_A is not valid.");
  }
  const found = (await ctx.store.transaction((tx) => findUser(tx, pool, typed)))?.user;
  if (!found && !preventsUserExistenceErrors(client)) throw userNotFound(MESSAGES.userNotFound);
  await preAuthentication(ctx, {
    pool,
    client,
    userName: typed,
    user: found,
    clientMetadata: f.clientMetadata,
  });
  const user = found ? await currentUser(f, found.username) : undefined;
  const state: FlowState = {
    userName: user?.username ?? typed,
    found: user !== undefined,
    history: srpA ? [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }] : [],
    srpA,
  };
  return nextRound(f, state, user, undefined);
}

/** RespondToAuthChallenge with ChallengeName=CUSTOM_CHALLENGE: VerifyAuthChallengeResponse, then Define again. */
export async function answerCustomChallenge(f: CustomAuthAnswer): Promise<Record<string, unknown>> {
  const { ctx, pool, client, responses } = f;
  const username = requireParameter(responses, "USERNAME");
  const answer = requireParameter(responses, "ANSWER");
  checkSecretHash(client, username, responses.SECRET_HASH);
  const state = await takeFlow(f, CUSTOM_SESSION, username);
  const user = state.found ? await currentUser(f, state.userName) : undefined;
  const actor: Actor = { pool, client, userName: state.userName, user };
  const correct = await verifyAuthChallengeResponse(
    ctx,
    actor,
    state.privateParameters ?? {},
    answer,
    f.clientMetadata,
  );
  const history = [
    ...state.history,
    {
      challengeName: "CUSTOM_CHALLENGE",
      challengeResult: correct,
      challengeMetadata: state.metadata ?? null,
    },
  ];
  return nextRound(f, { ...state, history }, user, f.clientMetadata);
}

/**
 * Whether a PASSWORD_VERIFIER answer belongs to a custom-auth flow: its SECRET_BLOCK is sealed under this
 * flow's own key, which USER_SRP_AUTH's key cannot open (nor this one USER_SRP_AUTH's blocks).
 */
export async function isCustomAuthVerifier(
  ctx: ActionContext,
  responses: Record<string, string>,
): Promise<boolean> {
  const block = responses.PASSWORD_CLAIM_SECRET_BLOCK;
  if (!block) return false;
  const key = await ctx.store.transaction((tx) => customSealingKey(tx, ctx));
  return openSecretBlock(key, block) !== undefined;
}

/** RespondToAuthChallenge with ChallengeName=PASSWORD_VERIFIER inside CUSTOM_AUTH: the result joins the history. */
export async function answerCustomPasswordVerifier(f: CustomAuthAnswer): Promise<Record<string, unknown>> {
  const { ctx, pool, client, responses } = f;
  const username = requireParameter(responses, "USERNAME");
  const blockText = requireParameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = requireParameter(responses, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = requireParameter(responses, "TIMESTAMP");
  checkSecretHash(client, username, responses.SECRET_HASH);
  if (!timestampParses(timestamp))
    throw invalidParameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (tx) => {
    const state = await takeState(tx, f, VERIFIER_SESSION, now);
    // USERNAME is USER_ID_FOR_SRP (or another name of the same user); no one else may answer.
    if (username !== state.userIdForSrp) {
      const named = state.found ? (await findUser(tx, pool, username))?.user.username : undefined;
      if (named !== state.userName) throw notAuthorized(MESSAGES.invalidSession);
    }
    const sealed = openSecretBlock(await customSealingKey(tx, ctx), blockText);
    const user = state.found
      ? (await tx.getUserByKey(pool.id, normalise(pool, "username", state.userName)))?.user
      : undefined;
    if (!user?.password || !sealed || blockText !== state.secretBlock)
      return { state, ok: false as const, error: undefined };
    if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
    const record = user.password;
    const attempt = await passwordAttempt(tx, pool, user, now, () =>
      verifyClaim({
        poolName: poolShortName(pool.id),
        userIdForSrp: user.username,
        verifierHex: record.verifier,
        AHex: sealed.A,
        bHex: sealed.b,
        BHex: sealed.B,
        secretBlockBytes: Buffer.from(blockText, "base64"),
        timestamp,
        signatureBase64: signature,
      }),
    );
    const locked = !attempt.ok && attempt.error.message === MESSAGES.passwordAttemptsExceeded;
    return { state, ok: attempt.ok, error: locked ? attempt.error : undefined };
  });
  // A locked user is refused outright; a wrong password is a failed challenge Define gets to judge.
  if (outcome.error) throw outcome.error;
  const { state } = outcome;
  const user = state.found ? await currentUser(f, state.userName) : undefined;
  const history = [
    ...state.history,
    { challengeName: "PASSWORD_VERIFIER", challengeResult: outcome.ok, challengeMetadata: null },
  ];
  return nextRound(f, { ...state, history }, user, f.clientMetadata);
}

/** DefineAuthChallenge on the history so far, and whatever it decides. */
async function nextRound(
  f: Flow,
  state: FlowState,
  user: UserRecord | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<Record<string, unknown>> {
  const { ctx, pool, client } = f;
  const actor: Actor = { pool, client, userName: state.userName, user };
  const decision = await defineAuthChallenge(ctx, actor, state.history, clientMetadata);
  if (decision === "fail") throw incorrect();
  if (decision === "tokens") {
    // Define cannot sign in a user who does not exist: the caller gets what any failure gives.
    if (!user) throw incorrect();
    const current = await currentUser(f, user.username);
    return completeSignIn(ctx, {
      pool,
      client,
      user: current,
      source: "TokenGeneration_Authentication",
      clientMetadata,
    });
  }
  const base: FlowState = {
    userName: state.userName,
    found: state.found,
    history: state.history,
    srpA: state.srpA,
  };
  if (decision === "PASSWORD_VERIFIER") {
    // Cognito's own SRP challenge: it needs the client's SRP_A, so only a flow that began with one may ask.
    if (!state.srpA) throw unrecognizable();
    return passwordChallenge(f, base, user);
  }
  const created = await createAuthChallenge(ctx, actor, state.history, clientMetadata);
  const session = await saveState(f, CUSTOM_SESSION, {
    ...base,
    privateParameters: created.privateParameters,
    metadata: created.metadata,
  });
  return {
    ChallengeName: "CUSTOM_CHALLENGE",
    Session: session,
    ChallengeParameters: { ...created.publicParameters, USERNAME: state.userName },
  };
}

/**
 * The PASSWORD_VERIFIER challenge, as USER_SRP_AUTH poses it but with a Session. For a name no user has
 * (or a user without a password) the challenge is derived as USER_SRP_AUTH derives its fake one, and
 * answering it can only fail.
 */
async function passwordChallenge(
  f: Flow,
  base: FlowState,
  user: UserRecord | undefined,
): Promise<Record<string, unknown>> {
  const { ctx, pool, client } = f;
  const { key, secret } = await ctx.store.transaction(async (tx) => ({
    key: await customSealingKey(tx, ctx),
    secret: await fakeChallengeSecret(tx, ctx.random),
  }));
  let salt: string;
  let verifier: string;
  let userIdForSrp: string;
  if (user?.password) {
    salt = user.password.salt;
    verifier = user.password.verifier;
    userIdForSrp = user.username;
  } else {
    const fake = fakeSrpChallenge(secret, pool.id, normalise(pool, "username", base.userName));
    salt = fake.salt;
    verifier = fake.verifier;
    userIdForSrp = !user && usernameAttributes(pool).length > 0 ? fake.userIdForSrp : base.userName;
  }
  const { bHex, BHex } = startServerSession(ctx.random, { verifierHex: verifier });
  const block = sealSecretBlock(key, ctx.random, {
    poolId: pool.id,
    clientId: client.clientId,
    username: userIdForSrp,
    b: bHex,
    B: BHex,
    A: base.srpA!,
    issuedAt: ctx.clock.now(),
  });
  const session = await saveState(f, VERIFIER_SESSION, { ...base, secretBlock: block, userIdForSrp });
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    Session: session,
    ChallengeParameters: {
      SALT: salt,
      SECRET_BLOCK: block,
      SRP_B: BHex,
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
  };
}

/** The key that seals this flow's SECRET_BLOCKs (not USER_SRP_AUTH's: see isCustomAuthVerifier). */
const customSealingKey = (tx: StoreTx, ctx: ActionContext) =>
  tx
    .getOrCreateSecret("srp-custom-auth", () => ctx.random.bytes(32).toString("base64"))
    .then((text) => Buffer.from(text, "base64"));

async function saveState(f: Flow, challenge: string, state: FlowState): Promise<string> {
  const { ctx, client } = f;
  return ctx.store.transaction((tx) =>
    openSession(tx, ctx.random, {
      client,
      username: state.userName,
      challenge,
      data: toWire(state),
      now: ctx.clock.now(),
    }),
  );
}

/**
 * Spends the session answering a CUSTOM_CHALLENGE. The take commits before any trigger runs, so a failing
 * trigger leaves it spent; a USERNAME that is not the session's user rolls the take back.
 */
async function takeFlow(f: CustomAuthAnswer, challenge: string, username: string): Promise<FlowState> {
  const { ctx, pool } = f;
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const state = await takeState(tx, f, challenge, now);
    const named = state.found
      ? (await findUser(tx, pool, username))?.user.username
      : normalise(pool, "username", username);
    const expected = state.found ? state.userName : normalise(pool, "username", state.userName);
    if (named !== expected) throw notAuthorized(MESSAGES.invalidSession);
    return state;
  });
}

async function takeState(
  tx: StoreTx,
  f: CustomAuthAnswer,
  challenge: string,
  now: number,
): Promise<FlowState> {
  const session = await takeSession(tx, f.session, { client: f.client, challenge, now });
  const state = fromWire(session.data);
  if (!state) throw notAuthorized(MESSAGES.invalidSession);
  return state;
}

/** The user as stored now (a trigger may have taken seconds), in a state that may still sign in. */
async function currentUser(f: Flow, username: string): Promise<UserRecord> {
  const { ctx, pool, client } = f;
  const user = (
    await ctx.store.transaction((tx) => tx.getUserByKey(pool.id, normalise(pool, "username", username)))
  )?.user;
  if (!user) throw unknownUser(client);
  checkCustomAuthState(user, client);
  return user;
}

/**
 * As the password flows check, minus the password: custom auth signs in users without one, and
 * FORCE_CHANGE_PASSWORD users (a common passwordless setup) get tokens without NEW_PASSWORD_REQUIRED.
 */
function checkCustomAuthState(user: UserRecord, client: ClientRecord): void {
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === "UNCONFIRMED") throw userNotConfirmed(MESSAGES.userNotConfirmed);
  if (user.status === "RESET_REQUIRED") {
    if (preventsUserExistenceErrors(client)) throw incorrect();
    throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
}

function toWire(state: FlowState): WireObject {
  return JSON.parse(JSON.stringify({ kind: "custom-auth", ...state })) as WireObject;
}

function fromWire(data: WireObject): FlowState | undefined {
  if (data.kind !== "custom-auth" || typeof data.userName !== "string" || !Array.isArray(data.history))
    return undefined;
  return data as unknown as FlowState;
}
