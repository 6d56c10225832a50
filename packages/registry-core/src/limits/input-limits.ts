import type { z } from "zod";
import type { ErrorReason } from "../errors.ts";

/**
 * The bounds every request body and query input meets before a schema or the domain sees it, on every route and
 * both databases. The request body itself is capped at 64 KiB by the HTTP edge (413 body_too_large).
 */
export const INPUT_LIMITS = {
  /** Objects and arrays nested at most this deep. An A2A agent card is four or five levels deep; a card nested
   * 3,200 levels overflowed the stack in the store's serialiser (a 500, and an `internal` marker on register). */
  maxDepth: 32,
  /** Any string or object key, in UTF-16 code units. Fields with their own bound are tighter (current_task 1,024). */
  maxStringLength: 8_192,
  /** A stored agent card, as JSON in UTF-8 bytes: room for a large A2A card, well under the 64 KiB body. */
  maxCardBytes: 32 * 1_024,
  /** Skills in one agent card. */
  maxSkills: 100,
} as const;

export type LimitReason = Extract<ErrorReason, "json_too_deep" | "string_too_long" | "nul_character" | "invalid_unicode">;
export type LimitViolation = { reason: LimitReason; message: string; path: string };

const NUL = "\u0000";

/** What is wrong with one string (a value or a key), if anything. PostgreSQL refuses NUL in text, and a lone
 * surrogate cannot be stored as UTF-8: refused on both databases alike, so both behave the same. */
function stringViolation(text: string): Omit<LimitViolation, "path"> | null {
  if (text.length > INPUT_LIMITS.maxStringLength) {
    return { reason: "string_too_long", message: `a string is longer than ${INPUT_LIMITS.maxStringLength} characters` };
  }
  if (text.includes(NUL)) return { reason: "nul_character", message: "a string contains a NUL character (\\u0000)" };
  if (!text.isWellFormed()) return { reason: "invalid_unicode", message: "a string contains a lone UTF-16 surrogate" };
  return null;
}

/**
 * The first limit a JSON value breaks, with where it breaks it, or null. Iterative, so no input can exhaust the
 * stack. It runs on every runtime call, so the common case (nothing wrong) allocates no paths: a second walk, in
 * the same order, rebuilds the path only for the answer.
 */
export function checkJsonLimits(value: unknown): LimitViolation | null {
  return findViolation(value, false);
}

const NO_PATH: readonly (string | number)[] = [];

function findViolation(root: unknown, withPaths: boolean): LimitViolation | null {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  const paths: (readonly (string | number)[])[] = withPaths ? [NO_PATH] : [];
  const found = (problem: Omit<LimitViolation, "path">, path: readonly (string | number)[]) =>
    withPaths ? { ...problem, path: path.join(".") } : findViolation(root, true);
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    const path = withPaths ? paths.pop()! : NO_PATH;
    if (typeof value === "string") {
      const problem = stringViolation(value);
      if (problem) return found(problem, path);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= INPUT_LIMITS.maxDepth) {
      return found({ reason: "json_too_deep", message: `nested deeper than ${INPUT_LIMITS.maxDepth} levels` }, path);
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        values.push(value[index]);
        depths.push(depth + 1);
        if (withPaths) paths.push([...path, index]);
      }
      continue;
    }
    for (const key in value) {
      const problem = stringViolation(key);
      if (problem) return found({ ...problem, message: problem.message.replace("a string", "an object key") }, path);
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
      if (withPaths) paths.push([...path, key]);
    }
  }
  return null;
}

/** The same limits as a zod check, for inputs that arrive outside the HTTP edge (the console's sign-in form). */
export function withinInputLimits(ctx: z.core.ParsePayload<unknown>): void {
  const violation = checkJsonLimits(ctx.value);
  if (violation)
    ctx.issues.push({
      code: "custom",
      input: ctx.value,
      path: violation.path.split(".").filter(Boolean),
      message: violation.message,
      params: { reason: violation.reason },
    });
}
