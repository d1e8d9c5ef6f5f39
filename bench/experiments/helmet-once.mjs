// Experiment: build helmet's middleware once per configuration. @fastify/helmet calls
// helmet(configuration) on every request (buildHelmetOnRoutes), re-validating and re-parsing the CSP.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

const fastifyHelmet = require.resolve('@fastify/helmet');
const helmetPath = require.resolve('helmet', { paths: [dirname(fastifyHelmet)] });
const helmet = require(helmetPath);
/** @type {WeakMap<object, unknown>} */
const built = new WeakMap();
/** @param {object | null | undefined} options */
function helmetOnce(options) {
  if (options === undefined || options === null) return helmet(options);
  let middleware = built.get(options);
  if (middleware === undefined) {
    middleware = helmet(options);
    built.set(options, middleware);
  }
  return middleware;
}
Object.assign(helmetOnce, helmet);
helmetOnce.default = helmetOnce;
const cached = require.cache[helmetPath];
if (cached !== undefined) cached.exports = helmetOnce;
