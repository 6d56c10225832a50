import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sparkline, sparkY } from "./sparkline.js";
const box = { width: 120, height: 50, padding: 10 };
const window = { from: 0, to: 100 };
describe("sparkline", () => {
    it("draws nothing for no samples", () => {
        assert.deepEqual(sparkline([], window, box), { points: [], path: "" });
    });
    it("maps time left to right and error rate bottom to top inside the padding", () => {
        const { points, path } = sparkline([
            { at: 0, value: 0 },
            { at: 50, value: 0.5 },
            { at: 100, value: 1 },
        ], window, box);
        assert.deepEqual(points.map(({ x, y }) => [x, y]), [
            [10, 40],
            [60, 25],
            [110, 10],
        ]);
        assert.equal(path, "M10 40 L60 25 L110 10");
    });
    it("sorts samples by time and keeps their data on each point", () => {
        const { points } = sparkline([
            { at: 80, value: 0.2 },
            { at: 20, value: 0.1 },
        ], window, box);
        assert.deepEqual(points.map((p) => [p.at, p.value]), [
            [20, 0.1],
            [80, 0.2],
        ]);
    });
    it("clamps values outside [0, 1] and times outside the window to the edges", () => {
        const { points } = sparkline([
            { at: -50, value: -1 },
            { at: 500, value: 7 },
        ], window, box);
        assert.deepEqual(points.map(({ x, y }) => [x, y]), [
            [10, 40],
            [110, 10],
        ]);
    });
    it("lifts the pen across a gap longer than breakAfterMs", () => {
        const { path } = sparkline([
            { at: 0, value: 0 },
            { at: 10, value: 0 },
            { at: 90, value: 0 },
        ], window, box, 30);
        assert.equal(path, "M10 40 L20 40 M100 40");
    });
    it("draws a lone sample as a move only, and survives an empty window", () => {
        assert.equal(sparkline([{ at: 5, value: 0 }], { from: 5, to: 5 }, box).path, "M10 40");
    });
    it("drops samples that are not numbers", () => {
        assert.equal(sparkline([{ at: Number.NaN, value: 0 }], window, box).points.length, 0);
    });
});
describe("sparkY", () => {
    it("puts a threshold on the same scale as the points", () => {
        assert.equal(sparkY(0.5, box), 25);
        assert.equal(sparkY(0, box), 40);
    });
});
