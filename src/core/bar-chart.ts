import { escapeHtml } from './escape.js';
import type { Chart } from './incident-report.js';

const WIDTH = 640;
const LABEL_WIDTH = 320;
const VALUE_WIDTH = 70;
const ROW = 24;
const BAR = 16;
const LABEL_CHARS = 44;

/**
 * A horizontal bar chart as inline SVG: presentation attributes only (no style, script or font
 * to fetch), a title and a description listing every value for screen readers. Labels may come
 * from a dataset, so every one is escaped.
 */
export function renderBarChart(chart: Chart, id: string): string {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const max = Math.max(1, ...chart.bars.map((bar) => bar.value));
  const height = Math.max(1, chart.bars.length) * ROW + 8;
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const description =
    chart.bars.length === 0
      ? `No ${chart.unit}.`
      : chart.bars.map((bar) => `${bar.label}: ${bar.value} ${chart.unit}`).join('; ');
  const rows = chart.bars.map((bar, index) => {
    const y = index * ROW + 4;
    const width = bar.value === 0 ? 0 : Math.max(1, Math.round((bar.value / max) * span));
    const label = bar.label.length > LABEL_CHARS ? `${bar.label.slice(0, LABEL_CHARS - 1)}…` : bar.label;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 3}" text-anchor="end">${escapeHtml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR}" fill="#3b5b92"/>`,
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + BAR - 3}">${bar.value}</text>`,
    ].join('');
  });
  const empty =
    chart.bars.length === 0
      ? [`<text x="${LABEL_WIDTH}" y="${ROW - 8}">No ${escapeHtml(chart.unit)}.</text>`]
      : [];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"`,
    ` aria-labelledby="${titleId} ${descId}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<title id="${titleId}">${escapeHtml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeHtml(description)}</desc>`,
    ...rows,
    ...empty,
    '</svg>',
  ].join('');
}
