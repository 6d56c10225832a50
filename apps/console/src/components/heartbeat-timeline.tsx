"use client";

import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatPercent } from "~/lib/format.ts";
import { statusStyle, type Tone } from "~/lib/status.ts";
import { formatTimestamp } from "~/lib/time.ts";
import {
  ANNOTATION_TONES,
  assignLabelRows,
  axisTimeLabel,
  buildTimeline,
  DEFAULT_EXPECTED_INTERVAL_MS,
  describeTimeline,
  type Annotation,
  type Timeline,
  type TimelineEvent,
  type TimelineRange,
  type TimelineSample,
} from "~/lib/timeline.ts";
import "./heartbeat-timeline.css";

export type HeartbeatTimelineProps = {
  /** Heartbeat samples as the operator API returns them, oldest first. */
  samples: readonly TimelineSample[];
  /** This workspace's events, any order; status changes, markers and register failures are read from them. */
  events: readonly TimelineEvent[];
  /** The page's clock (epoch ms): the window ends here and the last status band reaches it. */
  now: number;
  range: TimelineRange;
  /** How often the runtime beats; gaps are measured against it. */
  expectedIntervalMs?: number;
};

/**
 * Error rate over time with status bands behind it, missed beats hatched and marker events drawn on it. Everything
 * the canvas shows is also in the caption and the list below it, and in data attributes for end-to-end tests.
 */
export function HeartbeatTimeline({ samples, events, now, range, expectedIntervalMs = DEFAULT_EXPECTED_INTERVAL_MS }: HeartbeatTimelineProps) {
  const timeline = useMemo(() => buildTimeline({ samples, events, now, range, expectedIntervalMs }), [samples, events, now, range, expectedIntervalMs]);
  const { summary, annotations } = timeline;
  const empty = summary.beats === 0;

  return (
    <figure
      className="heartbeat-timeline"
      data-testid="heartbeat-timeline"
      data-range={range}
      data-empty={empty}
      data-beats={summary.beats}
      data-points={summary.points}
      data-gaps={summary.gaps}
      data-bands={timeline.bands.length}
      data-annotations={annotations.length}
    >
      <figcaption className={empty ? "timeline-caption timeline-empty" : "timeline-caption"}>
        {describeTimeline(timeline)}
        {empty ? (
          <span className="timeline-hint">
            A runtime that is stopped, cannot reach the registry or has not registered yet sends none; its beats show here as they arrive.
          </span>
        ) : (
          <span className="timeline-hint">Times in UTC.</span>
        )}
      </figcaption>
      {empty ? null : (
        <>
          <TimelineChart timeline={timeline} />
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

/**
 * The uPlot canvas. The chart is built once per range and fed new data on each refresh (the page re-renders every
 * few seconds), so hovering is not interrupted; the draw hooks read the latest timeline through a ref.
 */
function TimelineChart({ timeline }: { timeline: Timeline }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const timelineRef = useRef(timeline);

  // Declared before the effect that builds the chart: on a range change React runs both cleanups first, then this,
  // so the rebuilt chart starts from the new timeline.
  useEffect(() => {
    timelineRef.current = timeline;
    plotRef.current?.setData(chartData(timeline));
  }, [timeline]);

  const { range } = timeline;
  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const plot = new uPlot(
      chartOptions(range, container, () => timelineRef.current),
      chartData(timelineRef.current),
      container,
    );
    plotRef.current = plot;
    let width = container.clientWidth;
    const observer = new ResizeObserver(() => {
      // Only width drives the size; reacting to the height the chart itself sets would loop.
      if (container.clientWidth === width) return;
      width = container.clientWidth;
      plot.setSize(chartSize(width));
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [range]);

  // The caption, key and annotation list say everything the canvas shows.
  return <div ref={containerRef} className="timeline-chart" aria-hidden="true" />;
}

function chartData({ series }: Timeline): uPlot.AlignedData {
  return series.meanPercent === null ? [series.x, series.errorPercent] : [series.x, series.errorPercent, series.meanPercent];
}

/** Shorter on a phone so the chart, its key and the list below still fit on one screen. */
function chartSize(width: number) {
  return { width, height: width < 640 ? 200 : 260 };
}

type Palette = {
  text: string;
  muted: string;
  grid: string;
  panel: string;
  tone: (tone: Tone) => string;
  font: (sizePx: number) => string;
};

/** The canvas cannot use CSS variables, so their values are read once from the page's stylesheet. */
function readPalette(element: HTMLElement): Palette {
  const style = getComputedStyle(element);
  const cssVar = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: cssVar("--text"),
    muted: cssVar("--muted"),
    grid: cssVar("--border"),
    panel: cssVar("--panel"),
    tone: (tone) => cssVar(`--${tone}`),
    font: (sizePx) => `${Math.round(sizePx * uPlot.pxRatio)}px ${style.fontFamily}`,
  };
}

const percentValue = (_plot: uPlot, value: number | null) => (value === null ? "—" : formatPercent(value / 100));

function chartOptions(range: TimelineRange, container: HTMLElement, current: () => Timeline): uPlot.Options {
  const palette = readPalette(container);
  // Fresh objects per axis and series: uPlot fills in defaults on the option objects it is given.
  const axis = (): uPlot.Axis => ({
    stroke: palette.muted,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.grid, width: 1 },
  });
  const errorRate = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 1.5, value: percentValue, points: { show: false } });
  let hatch: CanvasPattern | string | null = null;
  return {
    ...chartSize(container.clientWidth),
    ms: 1,
    // The console shows every time in UTC (lib/time.ts): ticks fall on UTC hours and the legend reads UTC.
    tzDate: (ms) => uPlot.tzDate(new Date(ms), "Etc/UTC"),
    cursor: { drag: { x: false, y: false, setScale: false } },
    scales: {
      x: { time: true, range: () => [current().window.from, current().window.to] },
      y: { range: [0, 100] },
    },
    axes: [
      { ...axis(), size: 32, values: (_plot, splits) => splits.map(axisTimeLabel) },
      { ...axis(), size: 52, values: (_plot, splits) => splits.map((split) => `${split}%`) },
    ],
    series: [
      { label: "Time (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" },
      ...(range === "1h"
        ? // Every beat is a point, however close together.
          [{ ...errorRate("Error rate", palette.text), points: { show: true, size: 4, fill: palette.text, stroke: palette.text } }]
        : [errorRate("Highest error rate", palette.text), { ...errorRate("Mean error rate", palette.muted), width: 1, dash: [4, 3] }]),
    ],
    hooks: {
      drawClear: [(plot) => drawBandsAndGaps(plot, current(), palette, (hatch ??= hatchPattern(plot.ctx, palette.muted)))],
      draw: [(plot) => drawAnnotations(plot, current(), palette)],
    },
  };
}

const BAND_STRIP_PX = 3;
const BAND_FILL_ALPHA = 0.14;
/** A missed beat in the 24 h view is under a pixel wide; it still gets a visible mark. */
const MIN_GAP_PX = 2;
const HATCH_PX = 8;

/** Behind everything (drawClear runs before the grid and series): status bands, then hatched gaps over them. */
function drawBandsAndGaps(plot: uPlot, timeline: Timeline, palette: Palette, hatch: CanvasPattern | string) {
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

const LABEL_ROWS = 3;
const LABEL_ROW_PX = 16;
/** Below the status strip and its label. */
const LABEL_TOP_PX = 18;

/** On top of everything: a dashed line per annotation and, where there is room, its short label. */
function drawAnnotations(plot: uPlot, timeline: Timeline, palette: Palette) {
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
