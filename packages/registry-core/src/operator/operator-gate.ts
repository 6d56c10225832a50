import { createHash, timingSafeEqual } from "node:crypto";
import { sessionOperator, type AccountDeps, type OperatorRole } from "../accounts/accounts.ts";
import { bearerToken } from "../auth/tokens.ts";
import { RegistryError } from "../errors.ts";

export type GatedOperator = { name: string; role: OperatorRole };

/** What a request offers as operator credentials; each app passes only the kinds it accepts. */
export type OperatorCredentials = {
  /** `Authorization: Bearer <admin token | console session token>` (the server's API). */
  authorization?: string | undefined;
  /** The console's session cookie (the console only: a cookie is sent by browsers on their own). */
  sessionCookie?: string | undefined;
  /** `X-Operator-Name`: who is acting, for the audit trail, when the admin token is used. */
  operatorName?: string | string[] | undefined;
};

export type OperatorGate = (credentials: OperatorCredentials) => Promise<GatedOperator>;

const OPERATOR_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const sha256 = (text: string) => createHash("sha256").update(text).digest();

/**
 * The one operator gate, for the admin token and console sessions, on every operator path of the server and the
 * console. The admin token acts as role `operator` under the name in `X-Operator-Name` (default "admin"); a session
 * acts as its own operator with its own role. No credentials: `missing_token`; wrong ones: `invalid_token`.
 */
export function createOperatorGate(options: { adminToken: string | undefined; accounts: AccountDeps }): OperatorGate {
  // Compared as digests, in constant time, so neither the token's length nor its content leaks through timing.
  const adminDigest = options.adminToken ? sha256(options.adminToken) : null;
  return async ({ authorization, sessionCookie, operatorName }) => {
    const bearer = bearerToken(authorization);
    if (bearer !== null && adminDigest !== null && timingSafeEqual(sha256(bearer), adminDigest)) {
      return { name: auditName(operatorName), role: "operator" };
    }
    const session = bearer ?? sessionCookie ?? null;
    if (session === null) throw new RegistryError("missing_token", "operator authentication required: the admin token or a console session");
    // Fails closed: a session that cannot be checked is a retryable 503, never a pass.
    const operator = await sessionOperator(options.accounts, session).catch(() => {
      throw new RegistryError("credentials_unavailable", "cannot verify operator credentials");
    });
    if (operator === null) throw new RegistryError("invalid_token", "invalid operator credentials");
    return operator;
  };
}

function auditName(header: string | string[] | undefined): string {
  if (header === undefined) return "admin";
  if (typeof header !== "string" || !OPERATOR_NAME.test(header)) {
    throw new RegistryError("invalid_operator_name", "X-Operator-Name must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  return header;
}
