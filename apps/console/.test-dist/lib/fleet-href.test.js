import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstParam, fleetHref } from "./fleet-href.js";
describe("fleetHref", () => {
    it("is the bare path without a filter", () => {
        assert.equal(fleetHref({}), "/");
        assert.equal(fleetHref({ status: "", q: undefined }), "/");
    });
    it("keeps status, search and cursor, encoded", () => {
        assert.equal(fleetHref({ status: "degraded", q: "a b&c" }), "/?status=degraded&q=a+b%26c");
        assert.equal(fleetHref({ after: "0b1c" }), "/?after=0b1c");
    });
});
describe("firstParam", () => {
    it("takes the first of repeated parameters", () => {
        assert.equal(firstParam(["a", "b"]), "a");
        assert.equal(firstParam("x"), "x");
        assert.equal(firstParam(undefined), undefined);
    });
});
