import uPlot from "uplot";
import type { Tone } from "~/lib/status.ts";

export type ChartPalette = {
  text: string;
  muted: string;
  grid: string;
  panel: string;
  tone: (tone: Tone) => string;
  font: (sizePx: number) => string;
};

/** The canvas cannot use CSS variables, so their values are read from the page's stylesheet when a chart is built. */
export function readChartPalette(element: HTMLElement): ChartPalette {
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

/**
 * Resizes the chart with its container's width, and returns the function that stops it. Only the width drives the
 * size; reacting to the height the chart itself sets would loop.
 */
export function followContainerWidth(plot: uPlot, container: HTMLElement, size: (width: number) => { width: number; height: number }): () => void {
  let width = container.clientWidth;
  const observer = new ResizeObserver(() => {
    if (container.clientWidth === width) return;
    width = container.clientWidth;
    plot.setSize(size(width));
  });
  observer.observe(container);
  return () => observer.disconnect();
}
