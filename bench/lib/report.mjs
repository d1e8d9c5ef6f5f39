// bench/results.md: machine, command, date, one section per figure, a verdict line per target, charts.
import { cpus, totalmem, release, type } from 'node:os';

/**
 * @typedef {object} BenchContext
 * @property {boolean} quick BENCH_QUICK=1: smaller databases, shorter runs
 * @property {number} seconds per measured run
 * @property {number} warmupSeconds
 * @property {number} rounds interleaved rounds per target
 * @property {number} connections
 * @property {string} tmpDir per-run scratch (bench/tmp/run-…)
 * @property {string} cacheDir seeded databases kept across runs (bench/tmp/)
 * @property {(line: string) => void} progress
 */

/**
 * @typedef {object} Verdict
 * @property {string} target
 * @property {boolean | null} pass null: not measured
 * @property {string} detail
 */

/**
 * @typedef {object} Section
 * @property {string} title
 * @property {string[]} lines markdown
 * @property {Verdict[]} verdicts
 * @property {unknown} [data] figures other parts (charts) use
 */

/**
 * @param {string} target
 * @param {boolean | null} pass
 * @param {string} detail
 * @returns {Verdict}
 */
export function verdict(target, pass, detail) {
  return { target, pass, detail };
}

/**
 * @param {number} value
 * @param {number} digits
 */
export function fmt(value, digits) {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** @param {number | null} bytes */
export function mib(bytes) {
  return bytes === null ? 'n/a' : `${fmt(bytes / 1024 / 1024, 1)} MiB`;
}

/** @param {number} bytes */
export function kib(bytes) {
  return `${fmt(bytes / 1024, 1)} KiB`;
}

/** @param {boolean | null} pass */
function mark(pass) {
  if (pass === null) return 'NOT MEASURED';
  return pass ? 'PASS' : 'FAIL';
}

/**
 * @param {{ command: string, started: Date, seconds: number, quick: boolean, sections: Section[], charts: { file: string, alt: string }[] }} run
 * @returns {string}
 */
export function renderResults(run) {
  const cpuList = cpus();
  const verdicts = run.sections.flatMap((section) => section.verdicts);
  const lines = [
    '# open2fa benchmark results',
    '',
    `Written by \`${run.command}\` on ${run.started.toISOString()} in ${fmt(run.seconds, 0)} s${run.quick ? ' (**BENCH_QUICK=1**: smaller databases and shorter runs; a smoke run, not the reference figures)' : ''}. See [docs/benchmarks.md](../docs/benchmarks.md) for what each figure means and how it is measured; [profile-notes.md](profile-notes.md) for the profile, the optimisations and their before/after figures.`,
    '',
    '## Machine',
    '',
    `- CPU: ${String(cpuList.length)} × ${cpuList[0]?.model ?? 'unknown'}${cpuList[0]?.speed ? ` (${String(cpuList[0].speed)} MHz)` : ''}`,
    `- Memory: ${fmt(totalmem() / 1024 ** 3, 1)} GiB`,
    `- OS: ${type()} ${release()}`,
    `- Node.js ${process.version}`,
    '',
    'Load generator (autocannon) and servers share this machine, so a figure is a ratio measured side by side, not an absolute ceiling.',
    '',
    '## Verdicts',
    '',
    ...verdicts.map((item) => `- **${mark(item.pass)}** ${item.target}: ${item.detail}`),
    '',
    '## Charts',
    '',
    ...run.charts.map((chart) => `![${chart.alt}](${chart.file})\n`),
  ];
  for (const section of run.sections) {
    lines.push(`## ${section.title}`, '', ...section.lines, '');
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
