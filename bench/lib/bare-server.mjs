// The baseline: a bare node:http server answering every request with the same bytes the real server
// answered (status, headers, body), after reading the request body. Run as a child process by
// processes.mjs; BARE_ANSWER holds { status, headers: [name, value][], body: base64 }.
// BARE_WORK_US (headroom figure only): spin that many microseconds of CPU per request before answering,
// a calibrated stand-in for the work a real server does per request.
import { createServer } from 'node:http';

/** @type {{ status: number, headers: [string, string][], body: string }} */
const answer = JSON.parse(process.env.BARE_ANSWER ?? '{}');
const body = Buffer.from(answer.body, 'base64');
const headers = answer.headers.flat();
const workMs = Number(process.env.BARE_WORK_US ?? 0) / 1000;

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    if (workMs > 0) {
      const until = performance.now() + workMs;
      while (performance.now() < until);
    }
    response.writeHead(answer.status, headers);
    response.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on ${String(typeof address === 'object' && address !== null ? address.port : 0)}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
