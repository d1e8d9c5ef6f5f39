// Experiment: the Fastify floor. A bare Fastify 5 app with one route answering the captured bytes
// (no plugins, no hooks, no database): how close to node:http can anything built on Fastify get?
// Started like bare-server.mjs (BARE_ANSWER); compared by bench/floor.mjs.
import Fastify from 'fastify';

/** @type {{ status: number, headers: [string, string][], body: string }} */
const answer = JSON.parse(process.env.BARE_ANSWER ?? '{}');
const body = Buffer.from(answer.body, 'base64');
const headers = Object.fromEntries(answer.headers);

const app = Fastify({ logger: false });
const handler = (/** @type {unknown} */ _request, /** @type {import('fastify').FastifyReply} */ reply) => {
  void reply.code(answer.status).headers(headers).send(body);
};
app.get('/api/v1/totps', handler);
app.post('/api/v1/totps', handler);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${new URL(address).port}\n`);
process.on('SIGTERM', () => void app.close());
