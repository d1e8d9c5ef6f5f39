// Load generation (autocannon) with exact latencies: autocannon's own histogram has 1 ms resolution,
// too coarse for a server answering in well under a millisecond, so every 2xx response time is kept.
import { request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import { cpuMillis, rssBytes } from './processes.mjs';

/**
 * @typedef {object} LoadSpec
 * @property {string} path
 * @property {'GET' | 'POST'} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {() => string} [nextUserHash] a fresh X-User-Hash per request (random users)
 */

/**
 * @typedef {object} RunResult
 * @property {number} rps 2xx responses per second
 * @property {number} p50 ms
 * @property {number} p99 ms
 * @property {number} requests
 * @property {number} errors errors, timeouts and non-2xx answers
 * @property {number[]} rssSamples bytes, sampled every 100 ms when a pid was given
 * @property {Record<string, number>} [otherStatuses] non-2xx answers by status code
 * @property {{ user: number, system: number }} [cpu] the server's CPU per 2xx answer, µs (with cpuPid)
 */

/**
 * Runs autocannon against each origin in parallel (one instance per origin, the connections split
 * between them) and sums the throughput.
 * @param {string[]} origins
 * @param {LoadSpec} spec
 * @param {{ connections: number, seconds: number, samplePid?: number, cpuPid?: number }} options
 * @returns {Promise<RunResult>}
 */
export async function runLoad(origins, spec, options) {
  const cpuBefore = options.cpuPid === undefined ? null : cpuMillis(options.cpuPid);
  /** @type {number[]} */
  const latencies = [];
  /** @type {number[]} */
  const rssSamples = [];
  /** @type {Record<string, number>} */
  const otherStatuses = {};
  const sampler =
    options.samplePid === undefined
      ? null
      : setInterval(() => {
          const rss = rssBytes(options.samplePid ?? -1);
          if (rss !== null) rssSamples.push(rss);
        }, 100);
  const perOrigin = Math.max(1, Math.round(options.connections / origins.length));
  const started = process.hrtime.bigint();
  const results = await Promise.all(
    origins.map((origin) => {
      const instance = autocannon({
        url: `${origin}${spec.path}`,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        ...(spec.body === undefined ? {} : { body: spec.body }),
        connections: perOrigin,
        duration: options.seconds,
        timeout: 10,
        ...(spec.nextUserHash === undefined ? {} : { requests: [userHashRequest(spec.nextUserHash)] }),
      });
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
        else otherStatuses[String(statusCode)] = (otherStatuses[String(statusCode)] ?? 0) + 1;
      });
      return instance;
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = options.cpuPid === undefined ? null : cpuMillis(options.cpuPid);
  if (sampler !== null) clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  let errors = 0;
  let requests = 0;
  for (const result of results) {
    errors += result.errors + result.timeouts + result.non2xx;
    requests += result['2xx'];
  }
  return {
    rps: requests / Math.min(elapsedSeconds, options.seconds + 0.5),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests,
    errors,
    rssSamples,
    otherStatuses,
    ...(cpuBefore === null || cpuAfter === null || requests === 0
      ? {}
      : {
          cpu: {
            user: ((cpuAfter.user - cpuBefore.user) * 1000) / requests,
            system: ((cpuAfter.system - cpuBefore.system) * 1000) / requests,
          },
        }),
  };
}

/** @param {() => string} nextUserHash */
function userHashRequest(nextUserHash) {
  return {
    /** @param {{ headers?: Record<string, string> }} request */
    setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'x-user-hash': nextUserHash() } }),
  };
}

/**
 * @param {number[]} sorted ascending
 * @param {number} q 0..1
 */
export function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Interleaves runs of several targets (B S B S …) so drift on a noisy machine hits all of them
 * alike, and reports the median of each metric per target.
 * @template {string} K
 * @param {Record<K, () => Promise<RunResult>>} targets
 * @param {number} rounds
 * @param {(line: string) => void} progress
 * @returns {Promise<Record<K, RunResult & { runs: RunResult[] }>>}
 */
export async function interleave(targets, rounds, progress) {
  const keys = /** @type {K[]} */ (Object.keys(targets));
  /** @type {Record<string, RunResult[]>} */
  const runs = {};
  for (let round = 1; round <= rounds; round++) {
    for (const key of keys) {
      const result = await targets[key]();
      (runs[key] ??= []).push(result);
      progress(
        `  round ${String(round)}/${String(rounds)} ${key}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms${result.errors > 0 ? `, ${String(result.errors)} errors (non-2xx: ${JSON.stringify(result.otherStatuses ?? {})})` : ''}`,
      );
    }
  }
  /** @type {Record<string, RunResult & { runs: RunResult[] }>} */
  const summary = {};
  for (const key of keys) {
    const list = runs[key] ?? [];
    summary[key] = {
      rps: median(list.map((run) => run.rps)),
      p50: median(list.map((run) => run.p50)),
      p99: median(list.map((run) => run.p99)),
      requests: list.reduce((sum, run) => sum + run.requests, 0),
      errors: list.reduce((sum, run) => sum + run.errors, 0),
      rssSamples: list.flatMap((run) => run.rssSamples),
      ...(list.every((run) => run.cpu !== undefined)
        ? {
            cpu: {
              user: median(list.map((run) => run.cpu?.user ?? Number.NaN)),
              system: median(list.map((run) => run.cpu?.system ?? Number.NaN)),
            },
          }
        : {}),
      runs: list,
    };
  }
  return /** @type {Record<K, RunResult & { runs: RunResult[] }>} */ (summary);
}

/**
 * One request with node:http, keeping the raw header names and order, to replay verbatim.
 * @param {string} origin
 * @param {LoadSpec} spec
 * @returns {Promise<{ status: number, headers: [string, string][], body: Buffer }>}
 */
export function capture(origin, spec) {
  return new Promise((resolve, reject) => {
    const url = new URL(spec.path, origin);
    const outgoing = httpRequest(url, { method: spec.method ?? 'GET', headers: spec.headers ?? {} }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        /** @type {[string, string][]} */
        const headers = [];
        const raw = response.rawHeaders;
        for (let index = 0; index + 1 < raw.length; index += 2) {
          const name = raw[index] ?? '';
          // node:http writes these itself, exactly as Fastify's server does.
          if (!/^(date|connection|keep-alive|transfer-encoding)$/i.test(name))
            headers.push([name, raw[index + 1] ?? '']);
        }
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(spec.body);
  });
}
