import { hash, randomBytes } from "node:crypto";
import type { NewToken } from "../store.ts";

/** 32 random bytes, base64url without padding: 43 characters (reference §1.3). */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256, one shot: it runs on every runtime call, and the one-shot form costs a quarter of a Hash object. */
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 8);
}

/** A new token: the plaintext for the caller (shown once) and the record to store (hash and prefix only). */
export function issueToken(id: string, now: number): { token: string; record: NewToken } {
  const token = generateToken();
  return { token, record: { id, tokenHash: hashToken(token), prefix: tokenPrefix(token), createdAt: now } };
}

/** The credentials of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235, W9). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}
