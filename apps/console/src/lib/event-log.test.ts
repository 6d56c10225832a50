import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventLogHref, eventLogParams, eventWindow, isFiltered, mergeEvents, parseEventLogParams, tailCursor, type LogEvent } from "./event-log.ts";

const WORKSPACE = "0b6e7c1a-3f2a-4c1d-9e8f-123456789abc";

const parse = (search: string) => parseEventLogParams(new URLSearchParams(search));

function event(id: number, fields: Partial<LogEvent> = {}): LogEvent {
  return { id, type: "WORKSPACE_ONLINE", workspace_id: WORKSPACE, actor: "runtime", ...fields };
}

const ids = (events: readonly LogEvent[]) => events.map((e) => e.id);

describe("the events page's URL", () => {
  it("an empty URL is the whole log from the newest event", () => {
    assert.deepEqual(parse(""), { params: {}, query: {}, problems: [] });
    assert.equal(eventLogHref({}), "/events");
  });

  it("round-trips every filter and the cursor", () => {
    const href = `/events?type=MARKER_SET&workspace=${WORKSPACE}&actor=operator%3Aalice&before=1234`;
    const { query, problems } = parse(href.split("?")[1] ?? "");
    assert.deepEqual(query, { type: "MARKER_SET", workspaceId: WORKSPACE, actor: "operator:alice", before: 1234 });
    assert.deepEqual(problems, []);
    assert.equal(eventLogHref(eventLogParams(query)), href);
  });

  it("ignores and explains each value it does not understand, keeping the rest", () => {
    const { query, problems, params } = parse(`type=NOPE&workspace=0b6e7c1a&actor=${"x".repeat(201)}&before=-3`);
    assert.deepEqual(query, {});
    assert.deepEqual(
      problems.map((problem) => problem.param),
      ["type", "workspace", "actor", "before"],
    );
    assert.match(problems[1]?.message ?? "", /first 8 characters/);
    assert.equal(params.workspace, "0b6e7c1a", "the typed value is kept for the form to show");
    assert.deepEqual(parse(`type=MARKER_SET&before=2.5`), {
      params: { type: "MARKER_SET", before: "2.5" },
      query: { type: "MARKER_SET" },
      problems: [{ param: "before", message: "“2.5” is not a position in the log, so the newest events are shown." }],
    });
  });

  it("blank values are no filter, and an upper-case workspace id matches the stored lower-case one", () => {
    assert.deepEqual(parse("type=&actor=%20%20&before="), { params: {}, query: {}, problems: [] });
    assert.equal(parse(`workspace=${WORKSPACE.toUpperCase()}`).query.workspaceId, WORKSPACE);
  });

  it("leaves empty parameters out of links, and trims what the form sends", () => {
    assert.equal(eventLogHref({ type: "", workspace: "  ", actor: " sweeper " }), "/events?actor=sweeper");
  });
});

describe("isFiltered", () => {
  it("knows a filtered view from the whole log", () => {
    assert.equal(isFiltered({}), false);
    assert.equal(isFiltered({ actor: "runtime" }), true);
  });
});

describe("merging live events into the list", () => {
  it("puts new events on top, newest first, even when they arrive out of order", () => {
    assert.deepEqual(ids(mergeEvents([event(3), event(2)], [event(5), event(4)], 10)), [5, 4, 3, 2]);
  });

  it("keeps each event once when a reconnect replays some", () => {
    assert.deepEqual(ids(mergeEvents([event(4), event(3)], [event(3), event(4), event(5)], 10)), [5, 4, 3]);
  });

  it("drops the oldest rows beyond the cap", () => {
    assert.deepEqual(ids(mergeEvents([event(2), event(1)], [event(3), event(4)], 3)), [4, 3, 2]);
  });
});

describe("the table's window on the log", () => {
  it("continues below the page's oldest row when the server has more", () => {
    const window = eventWindow({ events: [event(9), event(8)], next_cursor: 8 }, [event(10)], 500);
    assert.deepEqual(ids(window.events), [10, 9, 8]);
    assert.equal(window.olderBefore, 8);
  });

  it("has nothing older when the page reached the start of the log", () => {
    assert.equal(eventWindow({ events: [event(2), event(1)], next_cursor: null }, [event(3)], 500).olderBefore, null);
  });

  it("continues below the oldest row still shown once the cap pushes loaded rows out", () => {
    const window = eventWindow({ events: [event(2), event(1)], next_cursor: null }, [event(5), event(4), event(3)], 3);
    assert.deepEqual(ids(window.events), [5, 4, 3]);
    assert.equal(window.olderBefore, 3, "events 2 and 1 are one click away, not lost");
  });

  it("an empty page with nothing live has nothing older", () => {
    assert.deepEqual(eventWindow({ events: [], next_cursor: null }, [], 500), { events: [], olderBefore: null });
  });
});

describe("where the live tail starts", () => {
  it("starts after the newest loaded event", () => {
    assert.equal(tailCursor([event(42), event(41)], null), 42);
  });

  it("resumes after the newest event streamed, even one the filter hid", () => {
    assert.equal(tailCursor([event(42)], 57), 57);
  });

  it("starts at the beginning of the stream when nothing was seen", () => {
    assert.equal(tailCursor([], null), 0);
  });
});
