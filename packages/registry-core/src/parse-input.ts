import type { z } from "zod";
import { RegistryError } from "./errors.ts";

/** Validates untrusted input at the edge; the 400 names the first bad field and lists them all. */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const first = issues[0];
  const message = first ? `invalid request body: ${first.path || "body"}: ${first.message}` : "invalid request body";
  throw new RegistryError("invalid_body", message, { issues });
}
