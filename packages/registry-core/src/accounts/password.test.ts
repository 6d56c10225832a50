import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from "./password.ts";

describe("passwords", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const stored = await hashPassword("correct horse battery");
    assert.match(stored, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(await verifyPassword("correct horse battery", stored), true);
    assert.equal(await verifyPassword("correct horse batterY", stored), false);
    assert.equal(await verifyPassword("", stored), false);
  });

  it("salts every hash, so equal passwords do not have equal hashes", async () => {
    assert.notEqual(await hashPassword("same password here"), await hashPassword("same password here"));
  });

  it("the stand-in hash for unknown names matches no password", async () => {
    assert.equal(await verifyPassword("", UNKNOWN_ACCOUNT_HASH), false);
    assert.equal(await verifyPassword("AAAAAAAAAAAA", UNKNOWN_ACCOUNT_HASH), false);
  });

  it("a malformed stored hash never verifies", async () => {
    assert.equal(await verifyPassword("x", "plain-text"), false);
    assert.equal(await verifyPassword("x", "bcrypt$1$2$3$abc$def"), false);
  });
});
