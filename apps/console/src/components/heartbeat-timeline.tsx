"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { statusStyle } from "~/lib/status.ts";
import { formatTimestamp } from "~/lib/time.ts";
import {
  ANNOTATION_TONES,
  assignLabelRows,
  axisTimeLabel,
  buildTimeline,
  DEFAULT_EXPECTED_INTERVAL_MS,
  describeMoment,
  describeTimeline,
  describeZoom,
  zoomWindow,
  type Annotation,
  type Timeline,
  type TimelineEvent,
  type TimelineRange,
  type TimelineSample,
  type TimelineThresholds,
  type TimelineTooltip,
  type TimeWindow,
} from "~/lib/timeline.ts";
import "./heartbeat-timeline.css";
import { followContainerWidth, readChartPalette, type ChartPalette } from "./uplot-canvas.ts";

export type HeartbeatTimelineProps = {
  /** Heartbeat samples as the operator API returns them, oldest first. */
  samples: readonly TimelineSample[];
  /** This workspace's events, any order; status changes, markers and register failures are read from them. */
  events: readonly TimelineEvent[];
  /** The page's clock (epoch ms): the window ends here and the last status band reaches it. */
  now: number;
  range: TimelineRange;
  /** The server's sample slot, in ms: it keeps the newest beat of each. */
  slotMs: number;
  /** The server's degrade and recover error rates, drawn as lines across the chart. */
  thresholds: TimelineThresholds;
  /** How often the runtime beats; gaps are measured against it. */
  expectedIntervalMs?: number;
};

/**
 * Error rate over time with status bands behind it, missed beats hatched, marker events and the status thresholds
 * drawn on it; drag across it to zoom. Everything the canvas shows is also in the caption, the key and the list
 * below it, and in data attributes for end-to-end tests. Render it with a `key` per range: a zoom belongs to one.
 */
export function HeartbeatTimeline({
  samples,
  events,
  now,
  range,
  slotMs,
  thresholds,
  expectedIntervalMs = DEFAULT_EXPECTED_INTERVAL_MS,
}: HeartbeatTimelineProps) {
  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const timeline = useMemo(
    () => buildTimeline({ samples, events, now, range, expectedIntervalMs, slotMs, thresholds, zoom }),
    [samples, events, now, range, expectedIntervalMs, slotMs, thresholds, zoom],
  );
  const { summary, annotations, view } = timeline;
  const empty = summary.samples === 0;

  return (
    <figure
      className="heartbeat-timeline"
      data-testid="heartbeat-timeline"
      data-range={range}
      data-empty={empty}
      data-samples={summary.samples}
      data-points={summary.points}
      data-gaps={summary.gaps}
      data-bands={timeline.bands.length}
      data-annotations={annotations.length}
      data-zoomed={timeline.zoomed}
      data-view-from={view.from}
      data-view-to={view.to}
    >
      <figcaption className={empty ? "timeline-caption timeline-empty" : "timeline-caption"}>
        {describeTimeline(timeline)}
        {empty ? (
          <span className="timeline-hint">
            A runtime that is stopped, cannot reach the registry or has not registered yet sends none; its beats show here as they arrive.
          </span>
        ) : (
          <span className="timeline-hint">Times in UTC. Drag across the chart to zoom in; double-click it or use Reset zoom to zoom back out.</span>
        )}
      </figcaption>
      {empty ? null : (
        <>
          {timeline.zoomed ? (
            <div className="timeline-zoom">
              <span aria-live="polite">{describeZoom(timeline)}</span>
              <button type="button" className="button-small" onClick={() => setZoom(null)}>
                Reset zoom
              </button>
            </div>
          ) : null}
          <TimelineChart timeline={timeline} onZoom={setZoom} />
          <TimelineKey timeline={timeline} />
        </>
      )}
      {annotations.length > 0 ? <AnnotationList annotations={annotations} /> : null}
    </figure>
  );
}

function TimelineKey({ timeline }: { timeline: Timeline }) {
  const statuses = [...new Set(timeline.bands.map((band) => band.status))];
  const kinds = [...new Map(timeline.annotations.map((annotation) => [annotation.kind, annotation.label]))];
  return (
    <ul className="timeline-key" aria-label="Chart key">
      {statuses.map((status) => {
        const style = statusStyle(status);
        return (
          <li key={status}>
            <span className={`timeline-swatch tone-${style.tone}`} aria-hidden="true" />
            {style.label}
          </li>
        );
      })}
      {timeline.gaps.length > 0 ? (
        <li>
          <span className="timeline-swatch timeline-swatch-gap" aria-hidden="true" />
          Missed beats
        </li>
      ) : null}
      {kinds.map(([kind, label]) => (
        <li key={kind}>
          <span className={`timeline-swatch-line tone-${ANNOTATION_TONES[kind]}`} aria-hidden="true" />
          {label}
        </li>
      ))}
      {timeline.thresholds.map((line) => (
        <li key={line.kind} data-threshold={line.kind}>
          <span className={`timeline-swatch-threshold tone-${line.tone}`} aria-hidden="true" />
          {line.text}
        </li>
      ))}
    </ul>
  );
}

function AnnotationList({ annotations }: { annotations: readonly Annotation[] }) {
  return (
    <ul className="timeline-annotations" aria-label="Markers and register failures on the chart">
      {annotations.map((annotation) => {
        const iso = new Date(annotation.at).toISOString();
        return (
          <li key={annotation.id} data-kind={annotation.kind} className={`tone-${ANNOTATION_TONES[annotation.kind]}`}>
            <span className="timeline-swatch-line" aria-hidden="true" />
            <time dateTime={iso}>{formatTimestamp(iso)}</time>
            <span>{annotation.text}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** Where the cursor is: the time under it, and its position in the chart's box for placing the tooltip. */
type Hover = { at: number; snapMs: number; left: number; top: number; flipX: boolean; flipY: boolean };

/** Off the line (over a gap, or before the first sample) the tooltip still reports a sample this close to the cursor. */
const SNAP_PX = 8;
/** A shorter drag is a click that slipped, not a zoom. */
const MIN_DRAG_PX = 6;

/**
 * The uPlot canvas and its tooltip. The chart is built once (again only when the view switches between samples and
 * buckets, which plot different series) and fed new data on each refresh: the page re-renders every second, so
 * hovering is not interrupted. The hooks read the latest timeline through a ref, and the x scale's range is the
 * timeline's view, so neither a refresh nor uPlot's own rescaling can undo a zoom.
 */
function TimelineChart({ timeline, onZoom }: { timeline: Timeline; onZoom: (zoom: TimeWindow | null) => void }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const timelineRef = useRef(timeline);
  const [hover, setHover] = useState<Hover | null>(null);

  // Declared before the effect that builds the chart: when a rebuild is due React runs both cleanups first, then
  // this, so the rebuilt chart starts from the new timeline.
  useEffect(() => {
    timelineRef.current = timeline;
    plotRef.current?.setData(chartData(timeline));
  }, [timeline]);

  const bucketed = timeline.bucketMs !== null;
  useEffect(() => {
    const box = boxRef.current;
    const container = containerRef.current;
    if (box === null || container === null) return undefined;
    const plot = new uPlot(
      chartOptions(bucketed, container, () => timelineRef.current, {
        zoom: (from, to) => onZoom(zoomWindow(from, to, timelineRef.current.window)),
        resetZoom: () => onZoom(null),
        hover: (plot) => setHover(hoverAt(plot, box)),
      }),
      chartData(timelineRef.current),
      container,
    );
    plotRef.current = plot;
    const stopFollowing = followContainerWidth(plot, container, chartSize);
    return () => {
      stopFollowing();
      plot.destroy();
      plotRef.current = null;
      setHover(null);
    };
  }, [bucketed, onZoom]);

  const tooltip = hover === null ? null : describeMoment(timeline, hover.at, hover.snapMs);
  // The caption, key and annotation list say everything the canvas and its tooltip show.
  return (
    <div ref={boxRef} className="timeline-chart" aria-hidden="true">
      <div ref={containerRef} />
      {hover !== null && tooltip !== null ? <ChartTooltip hover={hover} tooltip={tooltip} /> : null}
    </div>
  );
}

function ChartTooltip({ hover, tooltip }: { hover: Hover; tooltip: TimelineTooltip }) {
  const className = [
    "timeline-tooltip",
    hover.flipX ? "timeline-tooltip-left" : "",
    hover.flipY ? "timeline-tooltip-above" : "",
    tooltip.inGap ? "timeline-tooltip-gap" : "",
  ]
    .filter((name) => name !== "")
    .join(" ");
  return (
    <div className={className} style={{ left: hover.left, top: hover.top }} data-testid="timeline-tooltip" data-in-gap={tooltip.inGap}>
      <p className="timeline-tooltip-time">{tooltip.time}</p>
      <dl>
        <dt>Error rate</dt>
        <dd>{tooltip.errorRate}</dd>
        <dt>Status</dt>
        <dd>{tooltip.status}</dd>
        <dt>Gap</dt>
        <dd>{tooltip.gap}</dd>
      </dl>
    </div>
  );
}

/** The cursor as a Hover, in the coordinates of `box` (the tooltip's positioned parent); null once it leaves the plot. */
function hoverAt(plot: uPlot, box: HTMLElement): Hover | null {
  const { left, top } = plot.cursor;
  if (left === undefined || top === undefined || left < 0 || top < 0) return null;
  const over = plot.over.getBoundingClientRect();
  const outer = box.getBoundingClientRect();
  const at = plot.posToVal(left, "x");
  return {
    at,
    snapMs: plot.posToVal(left + SNAP_PX, "x") - at,
    left: over.left - outer.left + left,
    top: over.top - outer.top + top,
    // Kept inside the chart's box, which clips it: to the cursor's left in the right half, above it in the lower half.
    flipX: left > over.width / 2,
    flipY: top > over.height / 2,
  };
}

function chartData({ series }: Timeline): uPlot.AlignedData {
  return series.meanPercent === null ? [series.x, series.errorPercent] : [series.x, series.errorPercent, series.meanPercent];
}

/** Shorter on a phone so the chart, its key and the list below still fit on one screen. */
function chartSize(width: number) {
  return { width, height: width < 640 ? 200 : 260 };
}

type ChartHandlers = {
  /** A drag across the plot selected the stretch between these two times. */
  zoom: (from: number, to: number) => void;
  resetZoom: () => void;
  hover: (plot: uPlot) => void;
};

function chartOptions(bucketed: boolean, container: HTMLElement, current: () => Timeline, handlers: ChartHandlers): uPlot.Options {
  const palette = readChartPalette(container);
  // Fresh objects per axis and series: uPlot fills in defaults on the option objects it is given.
  const axis = (): uPlot.Axis => ({
    stroke: palette.muted,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.grid, width: 1 },
  });
  const errorRate = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 1.5, points: { show: false } });
  let hatch: CanvasPattern | string | null = null;
  return {
    ...chartSize(container.clientWidth),
    ms: 1,
    // The console shows every time in UTC (lib/time.ts): ticks fall on UTC hours.
    tzDate: (ms) => uPlot.tzDate(new Date(ms), "Etc/UTC"),
    cursor: {
      // The drag only selects; the zoom becomes the timeline's view, which the x scale's range below reads.
      drag: { x: true, y: false, setScale: false, dist: MIN_DRAG_PX },
      // uPlot's own double-click rescales to the data; here it ends the zoom.
      bind: { dblclick: () => () => (handlers.resetZoom(), null) },
    },
    // The tooltip tells the values at the cursor; the legend stays a key of the lines.
    legend: { live: false },
    scales: {
      x: { time: true, range: () => [current().view.from, current().view.to] },
      y: { range: [0, 100] },
    },
    axes: [
      { ...axis(), size: 32, values: (_plot, splits, _axis, _space, step) => splits.map((split) => axisTimeLabel(split, step)) },
      { ...axis(), size: 52, values: (_plot, splits) => splits.map((split) => `${split}%`) },
    ],
    series: [
      { label: "Time (UTC)" },
      ...(bucketed
        ? [errorRate("Highest error rate", palette.text), { ...errorRate("Mean error rate", palette.muted), width: 1, dash: [4, 3] }]
        : // Every sample is a point, however close together: one between two gaps has no line to show it.
          [{ ...errorRate("Error rate", palette.text), points: { show: true, size: 4, fill: palette.text, stroke: palette.text } }]),
    ],
    hooks: {
      drawClear: [(plot) => drawBandsAndGaps(plot, current(), palette, (hatch ??= hatchPattern(plot.ctx, palette.muted)))],
      drawAxes: [(plot) => drawThresholds(plot, current(), palette)],
      draw: [(plot) => drawAnnotations(plot, current(), palette)],
      setSelect: [
        (plot) => {
          const { left, width } = plot.select;
          if (width >= MIN_DRAG_PX) handlers.zoom(plot.posToVal(left, "x"), plot.posToVal(left + width, "x"));
          plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
      setCursor: [handlers.hover],
      // What the canvas shows, for the end-to-end tests: proof that a refresh kept the zoom.
      setScale: [
        (plot, key) => {
          if (key !== "x") return;
          plot.root.dataset.shownFrom = String(plot.scales.x?.min);
          plot.root.dataset.shownTo = String(plot.scales.x?.max);
        },
      ],
    },
  };
}

const BAND_STRIP_PX = 3;
const BAND_FILL_ALPHA = 0.14;
/** A missed beat in a bucketed view is under a pixel wide; it still gets a visible mark. */
const MIN_GAP_PX = 2;
const HATCH_PX = 8;

/** Behind everything (drawClear runs before the grid and series): status bands, then hatched gaps over them. */
function drawBandsAndGaps(plot: uPlot, timeline: Timeline, palette: ChartPalette, hatch: CanvasPattern | string) {
  const { ctx, bbox } = plot;
  const px = uPlot.pxRatio;
  const xAt = (ms: number) => plot.valToPos(ms, "x", true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.font = palette.font(10);
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  for (const band of timeline.bands) {
    const left = xAt(band.from);
    const width = xAt(band.to) - left;
    const { tone, label } = statusStyle(band.status);
    ctx.fillStyle = palette.tone(tone);
    ctx.globalAlpha = BAND_FILL_ALPHA;
    ctx.fillRect(left, bbox.top, width, bbox.height);
    ctx.globalAlpha = 1;
    ctx.fillRect(left, bbox.top, width, BAND_STRIP_PX * px);
    if (ctx.measureText(label).width + 8 * px <= width) ctx.fillText(label, left + 4 * px, bbox.top + (BAND_STRIP_PX + 3) * px);
  }
  ctx.fillStyle = hatch;
  for (const gap of timeline.gaps) {
    const left = xAt(gap.from);
    ctx.fillRect(left, bbox.top, Math.max(xAt(gap.to) - left, MIN_GAP_PX * px), bbox.height);
  }
  ctx.restore();
}

function hatchPattern(ctx: CanvasRenderingContext2D, colour: string): CanvasPattern | string {
  const size = Math.round(HATCH_PX * uPlot.pxRatio);
  const tile = document.createElement("canvas");
  tile.width = size;
  tile.height = size;
  const pen = tile.getContext("2d");
  if (pen === null) return colour;
  pen.strokeStyle = colour;
  pen.globalAlpha = 0.6;
  pen.lineWidth = uPlot.pxRatio;
  pen.beginPath();
  // The main diagonal plus its two corner pieces, so the tiles join into unbroken stripes.
  for (const offset of [-size, 0, size]) {
    pen.moveTo(offset, size);
    pen.lineTo(offset + size, 0);
  }
  pen.stroke();
  return ctx.createPattern(tile, "repeat") ?? colour;
}

/**
 * Over the grid and under the line (drawAxes runs between them): a dashed line at each threshold, its label at the
 * right end above it, where the line is least likely to be.
 */
function drawThresholds(plot: uPlot, timeline: Timeline, palette: ChartPalette) {
  const { ctx, bbox } = plot;
  const px = uPlot.pxRatio;
  const right = bbox.left + bbox.width;
  const pad = 3 * px;
  ctx.save();
  ctx.font = palette.font(10);
  ctx.textAlign = "right";
  ctx.textBaseline = "bottom";
  for (const line of timeline.thresholds) {
    const y = Math.round(plot.valToPos(line.percent, "y", true));
    const colour = palette.tone(line.tone);
    ctx.strokeStyle = colour;
    ctx.lineWidth = px;
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    const width = ctx.measureText(line.label).width + 2 * pad;
    const height = 13 * px;
    ctx.fillStyle = palette.panel;
    ctx.fillRect(right - width - pad, y - height - px, width, height);
    ctx.fillStyle = colour;
    ctx.fillText(line.label, right - 2 * pad, y - 2 * px);
  }
  ctx.restore();
}

const LABEL_ROWS = 3;
const LABEL_ROW_PX = 16;
/** Below the status strip and its label. */
const LABEL_TOP_PX = 18;

/** On top of everything: a dashed line per annotation and, where there is room, its short label. */
function drawAnnotations(plot: uPlot, timeline: Timeline, palette: ChartPalette) {
  const { ctx, bbox } = plot;
  const px = uPlot.pxRatio;
  const right = bbox.left + bbox.width;
  const pad = 3 * px;
  ctx.save();
  ctx.font = palette.font(11);
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const placed = timeline.annotations
    .map((annotation) => ({ annotation, x: plot.valToPos(annotation.at, "x", true) }))
    .filter(({ x }) => x >= bbox.left && x <= right)
    .map(({ annotation, x }) => {
      const width = ctx.measureText(annotation.label).width + 2 * pad;
      // Labels sit right of their line, or left of it near the chart's right edge.
      return { annotation, x, width, left: x + width <= right ? x : x - width };
    });
  const rows = assignLabelRows(
    placed.map(({ left, width }) => ({ x: left, width })),
    LABEL_ROWS,
    4 * px,
  );
  placed.forEach(({ annotation, x, width, left }, index) => {
    const colour = palette.tone(ANNOTATION_TONES[annotation.kind]);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    const row = rows[index];
    if (row === null || row === undefined) return;
    const top = bbox.top + (LABEL_TOP_PX + row * LABEL_ROW_PX) * px;
    const height = (LABEL_ROW_PX - 2) * px;
    ctx.fillStyle = palette.panel;
    ctx.fillRect(left, top, width, height);
    ctx.fillStyle = colour;
    ctx.fillText(annotation.label, left + pad, top + height / 2);
  });
  ctx.restore();
}
