// Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, top frames by inclusive
// time, and self time per package. Usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number, columnNumber: number }} callFrame
 * @property {number[]} [children]
 */

/**
 * @typedef {object} CpuProfile
 * @property {ProfileNode[]} nodes
 * @property {number[]} samples node id per sample
 * @property {number[]} timeDeltas microseconds before each sample
 * @property {number} startTime
 * @property {number} endTime
 */

/**
 * @param {CpuProfile} profile
 * @param {number} top
 */
export function summarise(profile, top) {
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  /** @type {Map<number, number>} */
  const selfByNode = new Map();
  let total = 0;
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time before sample i; charge it to that sample.
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
    total += delta;
  });

  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  /** @type {Map<string, number>} */
  const packages = new Map();
  for (const [id, time] of selfByNode) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const key = frameKey(node);
    self.set(key, (self.get(key) ?? 0) + time);
    packages.set(
      packageOf(node.callFrame.url, node.callFrame.functionName),
      (packages.get(packageOf(node.callFrame.url, node.callFrame.functionName)) ?? 0) + time,
    );
    // Inclusive: every distinct frame on the stack, once per stack (recursion counted once).
    /** @type {Set<string>} */
    const seen = new Set();
    for (let current = /** @type {number | undefined} */ (id); current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (frame === undefined) break;
      const frameName = frameKey(frame);
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      inclusive.set(frameName, (inclusive.get(frameName) ?? 0) + time);
    }
  }
  const rank = (/** @type {Map<string, number>} */ map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ name, ms: time / 1000, percent: (100 * time) / total }));
  return { totalMs: total / 1000, self: rank(self), inclusive: rank(inclusive), packages: rank(packages) };
}

/** @param {ProfileNode} node */
function frameKey(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  return `${name} ${shortUrl(url)}:${String(lineNumber + 1)}`;
}

/** @param {string} url */
function shortUrl(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/**
 * @param {string} url
 * @param {string} functionName
 */
function packageOf(url, functionName) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native / V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? '?');
  }
  if (url.startsWith('node:')) return 'node core';
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `open2fa ${url
      .slice(dist + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

/**
 * @param {ReturnType<typeof summarise>} summary
 * @returns {string}
 */
export function formatSummary(summary) {
  const table = (/** @type {string} */ title, /** @type {{ name: string, ms: number, percent: number }[]} */ rows) =>
    [
      `${title}`,
      ...rows.map((row) => `${row.percent.toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name}`),
      '',
    ].join('\n');
  return [
    `total sampled: ${summary.totalMs.toFixed(0)} ms`,
    '',
    table('Self time by package:', summary.packages),
    table('Top functions by self time:', summary.self),
    table('Top frames by inclusive time:', summary.inclusive),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  const profile = /** @type {CpuProfile} */ (JSON.parse(readFileSync(file, 'utf8')));
  process.stdout.write(formatSummary(summarise(profile, top)));
}
