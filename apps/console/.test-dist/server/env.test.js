import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readEnv } from "./env.js";
describe("readEnv", () => {
    it("accepts an absolute SQLite URL and a PostgreSQL URL", () => {
        assert.equal(readEnv({ DATABASE_URL: "file:/tmp/r.db" }).DATABASE_URL, "file:/tmp/r.db");
        assert.equal(readEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1/db" }).DATABASE_URL, "postgres://u:p@127.0.0.1/db");
    });
    it("leaves the default to @rollcall/db when unset or blank", () => {
        assert.equal(readEnv({}).DATABASE_URL, undefined);
        assert.equal(readEnv({ DATABASE_URL: "  " }).DATABASE_URL, undefined);
    });
    it("rejects another scheme without echoing the rest of the URL (it may hold a password)", () => {
        assert.throws(() => readEnv({ DATABASE_URL: "mysql://root:secret@db/x" }), (error) => {
            assert.match(error.message, /DATABASE_URL: must start with file: or postgres:\/\//);
            assert.doesNotMatch(error.message, /secret/);
            return true;
        });
    });
});
