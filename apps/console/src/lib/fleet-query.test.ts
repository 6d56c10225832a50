import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_FLEET_QUERY, fleetHref, pageRange, parseFleetQuery, toggleSort, withFilter } from "./fleet-query.ts";

const parse = (search: string) => parseFleetQuery(new URLSearchParams(search));

describe("fleet query in the URL", () => {
  it("an empty URL is the default view: worst status first, page 1", () => {
    assert.deepEqual(parse(""), { query: DEFAULT_FLEET_QUERY, ignored: [] });
    assert.equal(fleetHref(DEFAULT_FLEET_QUERY), "/");
  });

  it("round-trips every part", () => {
    const href = "/?status=degraded&q=a+b%26c&sort=heartbeat&order=desc&page=3";
    const { query, ignored } = parse(href.slice(2));
    assert.deepEqual(query, { status: "degraded", search: "a b&c", sort: "heartbeat", descending: true, page: 3 });
    assert.deepEqual(ignored, []);
    assert.equal(fleetHref(query), href);
  });

  it("drops and names what it does not understand, keeping the rest", () => {
    const { query, ignored } = parse(`status=bogus&sort=colour&order=up&page=0&q=${"x".repeat(201)}`);
    assert.deepEqual(query, DEFAULT_FLEET_QUERY);
    assert.deepEqual(ignored, ["status", "q", "sort", "order", "page"]);
    assert.deepEqual(parse("page=2.5").ignored, ["page"]);
  });

  it("a blank search is no search", () => {
    assert.equal(parse("q=%20%20").query.search, undefined);
  });
});

describe("changing the view", () => {
  const onPage4 = { ...DEFAULT_FLEET_QUERY, page: 4 };

  it("a new filter goes back to the first page", () => {
    assert.deepEqual(withFilter(onPage4, { status: "offline" }), { ...DEFAULT_FLEET_QUERY, status: "offline" });
  });

  it("the same sort column flips the order; another starts ascending", () => {
    assert.equal(toggleSort(DEFAULT_FLEET_QUERY, "status").descending, true);
    const byName = toggleSort({ ...onPage4, descending: true }, "name");
    assert.deepEqual([byName.sort, byName.descending, byName.page], ["name", false, 1]);
  });
});

describe("pageRange", () => {
  it("says which rows of how many", () => {
    assert.equal(pageRange(1, 100, 10_000), "1–100 of 10,000");
    assert.equal(pageRange(2, 100, 150), "101–150 of 150");
    assert.equal(pageRange(1, 100, 0), "0 of 0");
    assert.equal(pageRange(9, 100, 150), "none of 150");
  });
});
