import { z } from "zod";
import { generateToken, hashToken } from "../auth/tokens.ts";
import { RegistryError } from "../errors.ts";
import { withinInputLimits } from "../limits/input-limits.ts";
import { operatorCreatedEvent, operatorLockedOutEvent, operatorSignedInEvent, operatorSignedOutEvent } from "../events/constructors.ts";
import type { NewEvent } from "../events/event.ts";
import { lockedUntilAfterFailure } from "./lockout.ts";
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from "./password.ts";
import { OPERATOR_ROLES, type OperatorRole } from "./roles.ts";

export { OPERATOR_ROLES, type OperatorRole } from "./roles.ts";

/** A console session lasts one working day, then the operator signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export type OperatorRecord = {
  id: string;
  name: string;
  role: OperatorRole;
  passwordHash: string;
  failedSignIns: number;
  lockedUntil: number | null;
  createdAt: number;
};

export type SessionRecord = { tokenHash: string; operatorId: string; createdAt: number; expiresAt: number };

/** The console's account storage. Each method is one transaction, events included. */
export interface AccountStore {
  countOperators(): Promise<number>;
  findOperatorByName(name: string): Promise<OperatorRecord | null>;
  /** False when the name is taken. */
  insertOperator(operator: OperatorRecord, events: NewEvent[]): Promise<boolean>;
  /** A sign-in attempt's outcome: the throttle counters and, on success, the new session (and the operator's expired
   * sessions are dropped). */
  recordSignIn(attempt: {
    operatorId: string;
    failedSignIns: number;
    lockedUntil: number | null;
    session: SessionRecord | null;
    events: NewEvent[];
  }): Promise<void>;
  /** The session's operator, if the session exists and has not expired by `now`. */
  findSession(tokenHash: string, now: number): Promise<OperatorRecord | null>;
  deleteSession(tokenHash: string, events: (operator: OperatorRecord) => NewEvent[]): Promise<void>;
}

export type AccountDeps = { accounts: AccountStore; clock: () => number; newId: () => string };

export const OperatorName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/i, "2–64 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** Length over composition rules (NIST SP 800-63B): at least 12 characters, at most 200. */
export const OperatorPassword = z.string().min(12, "at least 12 characters").max(200, "at most 200 characters");

export const NewOperatorInput = z.object({ name: OperatorName, role: z.enum(OPERATOR_ROLES), password: OperatorPassword });
export type NewOperatorInput = z.infer<typeof NewOperatorInput>;

/** Sign-in checks only the shape; a password that violates today's rules may still be an older account's. */
export const SignInInput = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).check(withinInputLimits);
export type SignInInput = z.infer<typeof SignInInput>;

export type SignedIn = { token: string; expiresAt: number; operator: { name: string; role: OperatorRole } };

export async function createOperator(deps: AccountDeps, input: NewOperatorInput, actor: string): Promise<OperatorRecord> {
  const now = deps.clock();
  const operator: OperatorRecord = {
    id: deps.newId(),
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    failedSignIns: 0,
    lockedUntil: null,
    createdAt: now,
  };
  if (!(await deps.accounts.insertOperator(operator, [operatorCreatedEvent(operator, actor, now)]))) {
    throw new RegistryError("conflict", `an operator named "${input.name}" already exists`);
  }
  return operator;
}

/** First run: creates the given operator (role operator) when there are no accounts at all; otherwise nothing. */
export async function ensureFirstOperator(deps: AccountDeps, input: { name: string; password: string }): Promise<boolean> {
  if ((await deps.accounts.countOperators()) > 0) return false;
  const parsed = NewOperatorInput.parse({ ...input, role: "operator" });
  try {
    await createOperator(deps, parsed, "system:first-run");
    return true;
  } catch (error) {
    // Two console processes starting together: the other one created it.
    if (error instanceof RegistryError && error.reason === "conflict") return false;
    throw error;
  }
}

/**
 * Checks a name and password. Every outcome costs one scrypt (unknown names too), a locked account is refused
 * without looking at the password, and failures feed the per-account lockout. The one error for a wrong name or a
 * wrong password does not say which it was.
 */
export async function signIn(deps: AccountDeps, input: SignInInput): Promise<SignedIn> {
  const operator = await deps.accounts.findOperatorByName(input.name);
  const now = deps.clock();
  if (operator?.lockedUntil != null && operator.lockedUntil > now) {
    throw new RegistryError("rate_limited", "too many failed sign-ins; try again later", {
      retry_after_seconds: Math.ceil((operator.lockedUntil - now) / 1000),
    });
  }
  const valid = await verifyPassword(input.password, operator?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!operator || !valid) {
    if (operator) {
      const failedSignIns = operator.failedSignIns + 1;
      const lockedUntil = lockedUntilAfterFailure(failedSignIns, now);
      const events = lockedUntil ? [operatorLockedOutEvent(operator, failedSignIns, lockedUntil, now)] : [];
      await deps.accounts.recordSignIn({ operatorId: operator.id, failedSignIns, lockedUntil, session: null, events });
    }
    throw new RegistryError("invalid_credentials", "wrong name or password");
  }
  const token = generateToken();
  const session: SessionRecord = { tokenHash: hashToken(token), operatorId: operator.id, createdAt: now, expiresAt: now + SESSION_TTL_MS };
  await deps.accounts.recordSignIn({
    operatorId: operator.id,
    failedSignIns: 0,
    lockedUntil: null,
    session,
    events: [operatorSignedInEvent(operator, now)],
  });
  return { token, expiresAt: session.expiresAt, operator: { name: operator.name, role: operator.role } };
}

/** The operator a session cookie belongs to, or null (unknown, expired or signed out). */
export async function sessionOperator(deps: AccountDeps, token: string | undefined): Promise<{ name: string; role: OperatorRole } | null> {
  if (!token) return null;
  const operator = await deps.accounts.findSession(hashToken(token), deps.clock());
  return operator ? { name: operator.name, role: operator.role } : null;
}

export async function signOut(deps: AccountDeps, token: string): Promise<void> {
  const now = deps.clock();
  await deps.accounts.deleteSession(hashToken(token), (operator) => [operatorSignedOutEvent(operator, now)]);
}
