import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url without padding: 43 characters (reference §1.3). */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 8);
}

/** The credentials of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235, W9). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}
