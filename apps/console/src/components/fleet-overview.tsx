"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { withAlpha } from "~/lib/colour.ts";
import { describeOverview, stackCounts, withCurrentCounts, type CurrentCounts, type Overview, type StackedCounts } from "~/lib/overview.ts";
import { statusStyle } from "~/lib/status.ts";
import { axisTimeLabel } from "~/lib/timeline.ts";
import { UNBATCHED, useTRPC } from "~/trpc/react.tsx";
import { followContainerWidth, readChartPalette, type ChartPalette } from "./uplot-canvas.ts";
import "./fleet-overview.css";

/** Buckets are 15 minutes wide and changes are counted per minute: once a minute keeps the chart as fresh as its data. */
const OVERVIEW_REFRESH_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Status counts over the last 24 hours, stacked, and status changes per minute, above the fleet table. Its own query,
 * sent on its own (UNBATCHED) after the page is up, so the table never waits for it. Everything the canvases show is
 * also said in the summary above them.
 */
export function FleetOverview({ current }: { current: CurrentCounts | null }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.workspace.overview.queryOptions(undefined, { refetchInterval: OVERVIEW_REFRESH_MS, ...UNBATCHED }));
  const data = useMemo(() => (overview.data ? withCurrentCounts(overview.data, current) : undefined), [overview.data, current]);

  return (
    <section className="panel fleet-overview" aria-labelledby="fleet-overview-heading" data-testid="fleet-overview">
      <h2 id="fleet-overview-heading">Last 24 hours</h2>
      {data ? (
        <OverviewCharts overview={data} />
      ) : overview.isError ? (
        <p className="overview-error" role="status">
          The overview could not be loaded ({overview.error.message}).{" "}
          <button type="button" className="button-small" onClick={() => void overview.refetch()}>
            Try again
          </button>
        </p>
      ) : (
        <p className="overview-loading" role="status" aria-busy="true">
          Loading the last 24 hours…
        </p>
      )}
    </section>
  );
}

function OverviewCharts({ overview }: { overview: Overview }) {
  const stacked = useMemo(() => stackCounts(overview.buckets), [overview.buckets]);
  const changes = useMemo(
    (): uPlot.AlignedData => [
      overview.transitions_per_minute.map((minute) => Date.parse(minute.at)),
      overview.transitions_per_minute.map((minute) => minute.count),
    ],
    [overview.transitions_per_minute],
  );
  // The fleet's current counts (the last bucket) may be a little newer than the overview's own clock.
  const to = Math.max(Date.parse(overview.now), stacked.x.at(-1) ?? 0);
  const range = { from: to - DAY_MS, to };

  return (
    <>
      <p className="overview-summary" data-testid="overview-summary">
        {describeOverview(overview)} <span className="muted">Times in UTC.</span>
      </p>
      <div className="overview-charts" aria-hidden="true">
        <div className="overview-chart-box">
          <h3 className="overview-chart-title">Workspaces by status</h3>
          <StatusChart stacked={stacked} range={range} />
        </div>
        <div className="overview-chart-box">
          <h3 className="overview-chart-title">Status changes per minute</h3>
          <UplotChart
            data={changes}
            range={range}
            rebuildKey="changes"
            height={{ wide: 110, narrow: 90 }}
            options={(palette) => ({
              series: [
                timeSeries(),
                {
                  label: "Changes",
                  stroke: palette.tone("violet"),
                  fill: withAlpha(palette.tone("violet"), 0.6),
                  width: 0,
                  paths: uPlot.paths.bars?.({ size: [1, Number.POSITIVE_INFINITY], gap: 0 }),
                  points: { show: false },
                },
              ],
            })}
          />
        </div>
      </div>
    </>
  );
}

type TimeWindow = { from: number; to: number };

function StatusChart({ stacked, range }: { stacked: StackedCounts; range: TimeWindow }) {
  // The legend reads the newest counts; the series it was built with may be several refreshes old.
  const latestStack = useRef(stacked);
  latestStack.current = stacked;
  // Memoised: the fleet page renders every second, and new data would redraw the chart each time.
  const data = useMemo((): uPlot.AlignedData => [stacked.x, ...stacked.layers.map((layer) => layer.tops)], [stacked]);
  return (
    <UplotChart
      data={data}
      range={range}
      // A status appearing or leaving the window changes the series, which uPlot cannot do in place.
      rebuildKey={stacked.layers.map((layer) => layer.status).join(",")}
      height={{ wide: 170, narrow: 140 }}
      options={(palette) => ({
        series: [
          timeSeries(),
          ...stacked.layers.map((layer, layerIndex): uPlot.Series => {
            const colour = palette.tone(statusStyle(layer.status).tone);
            return {
              label: statusStyle(layer.status).label,
              stroke: colour,
              fill: withAlpha(colour, 0.35),
              width: 1,
              points: { show: false },
              // The chart draws each layer's top; the legend says the layer's own count.
              value: (_plot, _top, _series, index) => (index === null ? "—" : String(latestStack.current.layers[layerIndex]?.counts[index] ?? 0)),
            };
          }),
        ],
        // Each layer's fill stops at the layer below it (series 1 is the bottom layer, filled down to zero).
        bands: stacked.layers.slice(1).map((_layer, index) => ({ series: [index + 2, index + 1] as [number, number] })),
      })}
    />
  );
}

function timeSeries(): uPlot.Series {
  return { label: "Time (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}" };
}

type ChartProps = {
  data: uPlot.AlignedData;
  /** The 24 hours shown, ending at the data's `now`; it moves on with each refresh. */
  range: TimeWindow;
  /** The chart is built again when this changes; otherwise new data goes into the same chart, so hovering goes on. */
  rebuildKey: string;
  height: { wide: number; narrow: number };
  options: (palette: ChartPalette) => Pick<uPlot.Options, "series" | "bands">;
};

/** A uPlot canvas as wide as its box, in the page's colours and in UTC. */
function UplotChart({ data, range, rebuildKey, height, options }: ChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const latest = useRef({ data, range, options, height });
  latest.current = { data, range, options, height };

  // Declared before the effect that builds the chart, so a rebuilt chart starts from the newest data.
  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const { data: initial, options: build, height: heights } = latest.current;
    const size = (width: number) => ({ width, height: width < 640 ? heights.narrow : heights.wide });
    const palette = readChartPalette(container);
    const axis = (): uPlot.Axis => ({ stroke: palette.muted, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 } });
    const plot = new uPlot(
      {
        ...size(container.clientWidth),
        ms: 1,
        // The console shows every time in UTC (lib/time.ts): ticks fall on UTC hours and the legend reads UTC.
        tzDate: (ms) => uPlot.tzDate(new Date(ms), "Etc/UTC"),
        cursor: { drag: { x: false, y: false, setScale: false } },
        scales: {
          x: { time: true, range: () => [latest.current.range.from, latest.current.range.to] },
          // Counts: from zero, and at least to one so an idle fleet still draws a baseline, not a blank.
          y: { range: (_plot, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          { ...axis(), size: 30, values: (_plot, splits, _axis, _space, stepMs) => splits.map((split) => axisTimeLabel(split, stepMs)) },
          { ...axis(), size: 36, values: (_plot, splits) => splits.map((split) => (Number.isInteger(split) ? String(split) : "")) },
        ],
        ...build(palette),
      },
      initial,
      container,
    );
    plotRef.current = plot;
    const stopFollowing = followContainerWidth(plot, container, size);
    return () => {
      stopFollowing();
      plot.destroy();
      plotRef.current = null;
    };
  }, [rebuildKey]);

  return <div ref={containerRef} className="overview-chart" />;
}
