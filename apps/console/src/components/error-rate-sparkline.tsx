import type { WorkspacePage } from "../server/registry.ts";
import { formatPercent } from "../lib/format.ts";
import { sparkline, sparkY, type SparkBox } from "../lib/sparkline.ts";
import { statusStyle } from "../lib/status.ts";
import { formatTimestamp } from "../lib/time.ts";

const BOX: SparkBox = { width: 1100, height: 150, padding: 12 };

type Props = {
  heartbeats: WorkspacePage["heartbeats"];
  now: number;
  /** The error rate at which the registry degrades a workspace, drawn as a dashed line for scale. */
  degradeAt: number;
  /** A gap between beats longer than this is drawn as a gap (the registry's offline threshold). */
  gapMs: number;
};

/** The last hour's heartbeats: error rate over time, one point per recorded beat, no chart library. */
export function ErrorRateSparkline({ heartbeats, now, degradeAt, gapMs }: Props) {
  const samples = heartbeats.samples.flatMap((sample) =>
    sample.at === null ? [] : [{ at: Date.parse(sample.at), value: sample.error_rate, status: sample.status, tasks: sample.active_tasks }],
  );
  if (samples.length === 0) {
    return <p className="empty-inline">No heartbeats in the last hour.</p>;
  }
  const from = Date.parse(heartbeats.since);
  const { points, path } = sparkline(samples, { from, to: now }, BOX, gapMs);
  const latest = samples.at(-1);
  const highest = Math.max(...samples.map((sample) => sample.value));
  const summary =
    `${samples.length} heartbeat${samples.length === 1 ? "" : "s"} in the last hour; ` +
    `latest error rate ${formatPercent(latest?.value ?? 0)}, highest ${formatPercent(highest)}.`;
  const thresholdY = sparkY(degradeAt, BOX);

  return (
    <figure className="sparkline">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-labelledby="spark-title spark-desc">
        <title id="spark-title">Error rate, last hour</title>
        <desc id="spark-desc">{summary}</desc>
        <rect className="spark-frame" x={BOX.padding} y={BOX.padding} width={BOX.width - 2 * BOX.padding} height={BOX.height - 2 * BOX.padding} />
        <line className="spark-threshold" x1={BOX.padding} x2={BOX.width - BOX.padding} y1={thresholdY} y2={thresholdY} />
        <path className="spark-line" d={path} />
        {points.map((point, index) => (
          <circle key={`${point.at}-${index}`} className={`spark-point tone-${statusStyle(point.status).tone}`} cx={point.x} cy={point.y} r={3}>
            <title>
              {`${formatTimestamp(new Date(point.at).toISOString())}: ${formatPercent(point.value)} errors, ` +
                `${point.tasks} active task(s), ${statusStyle(point.status).label}`}
            </title>
          </circle>
        ))}
      </svg>
      <figcaption>
        <span className="spark-axis">
          <span>60 min ago</span>
          <span>
            dashed line: degrades at {formatPercent(degradeAt)} · top 100%, bottom 0%
          </span>
          <span>now</span>
        </span>
        <span>{summary}</span>
      </figcaption>
    </figure>
  );
}
