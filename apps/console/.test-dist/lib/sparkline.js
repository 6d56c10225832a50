const round = (n) => Math.round(n * 100) / 100;
const clamp = (n, low, high) => Math.min(high, Math.max(low, n));
/** The y of a value in [0, 1] (an error rate): 0 at the bottom edge of the padded box, 1 at the top. */
export function sparkY(value, box) {
    const inner = box.height - 2 * box.padding;
    return round(box.padding + (1 - clamp(value, 0, 1)) * inner);
}
/**
 * Places samples on a time axis from `window.from` (left) to `window.to` (right) and values in [0, 1] bottom to top,
 * and draws one SVG path through them. Where two consecutive samples are more than `breakAfterMs` apart the line
 * is lifted (a new `M`), so an outage reads as a gap rather than as a straight line across it.
 * Each point keeps the sample it came from, so callers can label it.
 */
export function sparkline(samples, window, box, breakAfterMs = Number.POSITIVE_INFINITY) {
    const span = Math.max(1, window.to - window.from);
    const innerWidth = box.width - 2 * box.padding;
    const points = [...samples]
        .filter((sample) => Number.isFinite(sample.at) && Number.isFinite(sample.value))
        .sort((a, b) => a.at - b.at)
        .map((sample) => ({
        ...sample,
        x: round(box.padding + clamp((sample.at - window.from) / span, 0, 1) * innerWidth),
        y: sparkY(sample.value, box),
    }));
    const path = points
        .map((point, index) => {
        const previous = points[index - 1];
        const move = previous === undefined || point.at - previous.at > breakAfterMs;
        return `${move ? "M" : "L"}${point.x} ${point.y}`;
    })
        .join(" ");
    return { points, path };
}
