import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
}

const ROW = 22;
const LABEL = 130;
const WIDTH = 420;
const VALUE = 50;
const LABEL_CHARS = 15;

/**
 * Horizontal bars as plain SVG: a title and a description that reads every value (screen readers),
 * one <title> per bar (hover), sizes from attributes only (the CSP allows no inline styles).
 */
export function BarChart({ title, bars, unit }: { title: string; bars: Bar[]; unit: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = Math.max(1, bars.length) * ROW + 8;
  const span = WIDTH - LABEL - VALUE;
  const description = bars.map((bar) => `${bar.label}: ${bar.value} ${unit}`).join('; ');
  return (
    <figure className="chart">
      <figcaption id={`${id}-t`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">Nothing to show yet.</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-labelledby={`${id}-t ${id}-d`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title>{title}</title>
          <desc id={`${id}-d`}>{description}</desc>
          {bars.map((bar, index) => {
            const y = 4 + index * ROW;
            const width = Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * span));
            return (
              <g key={`${bar.label}-${index}`} className="bar">
                <title>{`${bar.label}: ${bar.value} ${unit}`}</title>
                <text x={LABEL - 6} y={y + 15} textAnchor="end" className="bar-label">
                  {bar.label.length > LABEL_CHARS ? `${bar.label.slice(0, LABEL_CHARS - 1)}…` : bar.label}
                </text>
                <rect x={LABEL} y={y + 3} width={width} height={ROW - 6} rx={2} />
                <text x={LABEL + width + 6} y={y + 15} className="bar-value">
                  {bar.value.toLocaleString('en')}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
