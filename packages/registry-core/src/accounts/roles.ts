/** Apart from accounts.ts, so browser code and the event contract can name the roles without the password hashing. */
export const OPERATOR_ROLES = ["viewer", "operator"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
