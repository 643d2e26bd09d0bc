// Pool password policy: the first rule a password breaks, worded as Cognito words it, and temporary passwords.
import type { Random } from "../../shared/random.js";

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

/** Cognito's symbol set; a space counts as a symbol too. */
export const PASSWORD_SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/** Cognito's minimum when the policy names none (CreateUserPool's default policy). */
const DEFAULT_MINIMUM_LENGTH = 8;

/** The actions that hold a password to the pool's policy. */
export type PasswordAction =
  | "SignUp"
  | "AdminCreateUser"
  | "AdminSetUserPassword"
  | "ChangePassword"
  | "ConfirmForgotPassword"
  | "RespondToAuthChallenge"
  | "AdminRespondToAuthChallenge";

/**
 * The sentence before the broken rule, which Cognito words differently per action (docs/parity.md names
 * the public reports behind each). AdminSetUserPassword's is not verified: it takes the wording of the
 * other actions that replace an existing user's password.
 */
const PREFIXES: Record<PasswordAction, string> = {
  SignUp: "Password did not conform with policy: ",
  AdminCreateUser: "Password did not conform with password policy: ",
  AdminSetUserPassword: "Password does not conform to policy: ",
  ChangePassword: "Password does not conform to policy: ",
  ConfirmForgotPassword: "Password does not conform to policy: ",
  RespondToAuthChallenge: "Password does not conform to policy: ",
  AdminRespondToAuthChallenge: "Password does not conform to policy: ",
};

const hasUpper = (p: string): boolean => /[A-Z]/.test(p);
const hasLower = (p: string): boolean => /[a-z]/.test(p);
const hasNumber = (p: string): boolean => /[0-9]/.test(p);
const hasSymbol = (p: string): boolean => [...p].some((c) => PASSWORD_SYMBOLS.includes(c));

/**
 * The first rule of the policy the password breaks, as Cognito names it ("Password not long enough"),
 * or undefined when it conforms. Letters are Basic Latin only, as Cognito counts them; length is in
 * UTF-16 code units, as Java's String.length() (the service is Java) counts them.
 */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): string | undefined {
  const minimum = policy.MinimumLength ?? DEFAULT_MINIMUM_LENGTH;
  if (password.length < minimum) return "Password not long enough";
  if (policy.RequireUppercase && !hasUpper(password)) return "Password must have uppercase characters";
  if (policy.RequireLowercase && !hasLower(password)) return "Password must have lowercase characters";
  if (policy.RequireNumbers && !hasNumber(password)) return "Password must have numeric characters";
  if (policy.RequireSymbols && !hasSymbol(password)) return "Password must have symbol characters";
  return undefined;
}

/** InvalidPasswordException's message for a broken rule, worded as `action` words it. */
export function passwordPolicyMessage(action: PasswordAction, rule: string): string {
  return `${PREFIXES[action]}${rule}`;
}

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
// Symbols that survive shells, HTML e-mail and SMS unescaped; all of them are in Cognito's set.
const SAFE_SYMBOLS = "!#%*+-=?@^_";
const ALL = UPPER + LOWER + DIGITS + SAFE_SYMBOLS;
const GENERATED_LENGTH = 12;

/**
 * A temporary password (AdminCreateUser without TemporaryPassword) that meets `policy` whatever it requires:
 * it always holds every character class. Look-alike characters (I, l, O, 0, 1) are left out because people
 * copy these from messages.
 */
export function generateTemporaryPassword(random: Random, policy: PasswordPolicy): string {
  const length = Math.max(GENERATED_LENGTH, policy.MinimumLength ?? DEFAULT_MINIMUM_LENGTH);
  const pick = (from: string): string => from[random.int(from.length)]!;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SAFE_SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
