// A small dependency-free SVG line chart: categorical x axis, linear y axis from zero, one line per
// series with its values printed at each point. Enough to see a curve at a glance in results.md.

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { top: 48, right: 24, bottom: 64, left: 72 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#7f7f7f'];

/**
 * @typedef {object} Series
 * @property {string} name
 * @property {(number | null)[]} values one per x category; null leaves a gap
 * @property {boolean} [dashed]
 */

/**
 * @param {{ title: string, xTitle: string, yTitle: string, categories: string[], series: Series[], format?: (value: number) => string }} chart
 * @returns {string} an SVG document
 */
export function lineChart(chart) {
  const format = chart.format ?? ((value) => value.toFixed(value >= 100 ? 0 : 2));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const all = chart.series
    .flatMap((series) => series.values)
    .filter((value) => value !== null && Number.isFinite(value));
  const top = niceCeiling(Math.max(1e-9, ...all.map(Number)));
  const step = chart.categories.length > 1 ? plotWidth / (chart.categories.length - 1) : 0;
  const x = (/** @type {number} */ index) => MARGIN.left + (chart.categories.length > 1 ? index * step : plotWidth / 2);
  const y = (/** @type {number} */ value) => MARGIN.top + plotHeight - (value / top) * plotHeight;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${String(WIDTH / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(chart.title)}</text>`,
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (top / 4) * tick;
    const ty = y(value);
    parts.push(
      `<line x1="${String(MARGIN.left)}" x2="${String(WIDTH - MARGIN.right)}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${String(MARGIN.left - 6)}" y="${(ty + 4).toFixed(1)}" text-anchor="end" fill="#444">${escape(format(value))}</text>`,
    );
  }
  chart.categories.forEach((category, index) => {
    parts.push(
      `<text x="${x(index).toFixed(1)}" y="${String(HEIGHT - MARGIN.bottom + 18)}" text-anchor="middle" fill="#444">${escape(category)}</text>`,
    );
  });
  parts.push(
    `<text x="${String(MARGIN.left + plotWidth / 2)}" y="${String(HEIGHT - MARGIN.bottom + 38)}" text-anchor="middle">${escape(chart.xTitle)}</text>`,
    `<text transform="translate(16 ${String(MARGIN.top + plotHeight / 2)}) rotate(-90)" text-anchor="middle">${escape(chart.yTitle)}</text>`,
    `<line x1="${String(MARGIN.left)}" x2="${String(MARGIN.left)}" y1="${String(MARGIN.top)}" y2="${String(MARGIN.top + plotHeight)}" stroke="#444"/>`,
    `<line x1="${String(MARGIN.left)}" x2="${String(WIDTH - MARGIN.right)}" y1="${String(MARGIN.top + plotHeight)}" y2="${String(MARGIN.top + plotHeight)}" stroke="#444"/>`,
  );

  chart.series.forEach((series, seriesIndex) => {
    const color = COLORS[seriesIndex % COLORS.length] ?? '#000';
    const points = series.values
      .map((value, index) => (value === null || !Number.isFinite(value) ? null : { px: x(index), py: y(value), value }))
      .filter((point) => point !== null);
    if (points.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''} points="${points.map((point) => `${point.px.toFixed(1)},${point.py.toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const point of points) {
      parts.push(
        `<circle cx="${point.px.toFixed(1)}" cy="${point.py.toFixed(1)}" r="4" fill="${color}"/>`,
        `<text x="${(point.px + 6).toFixed(1)}" y="${(point.py - 8).toFixed(1)}" fill="${color}">${escape(format(point.value))}</text>`,
      );
    }
    const legendX = MARGIN.left + 8 + seriesIndex * 150;
    parts.push(
      `<line x1="${String(legendX)}" x2="${String(legendX + 18)}" y1="38" y2="38" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${String(legendX + 22)}" y="42">${escape(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** @param {number} value */
function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (value * 1.1 <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

/** @param {string} text */
function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
