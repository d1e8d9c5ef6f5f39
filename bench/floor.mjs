// How much of the gap to node:http is Fastify itself: bare node:http vs a bare Fastify route vs
// open2fa-server, all answering the same pull bytes. Usage: npm run build && node bench/floor.mjs
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { makeUser, pushOverHttp } from './lib/fixtures.mjs';
import { capture, interleave, runLoad } from './lib/load.mjs';
import { ROOT, startBareServer, startServer } from './lib/processes.mjs';

const FLOOR = fileURLToPath(new URL('./experiments/fastify-floor.mjs', import.meta.url));
const dataDir = join(ROOT, 'bench', 'tmp', `floor-${String(process.pid)}`);
mkdirSync(dataDir, { recursive: true });
const server = await startServer({ DATABASE_URL: `sqlite:${join(dataDir, 'floor.db')}` });
const children = [server];
try {
  const user = await makeUser(20);
  await pushOverHttp(server.origin, user.credentials.id, user.body);
  const spec = { path: '/api/v1/totps', headers: { 'x-user-hash': user.credentials.id } };
  const answer = await capture(server.origin, spec);
  const replay = { status: answer.status, headers: answer.headers, body: answer.body.toString('base64') };
  const bare = await startBareServer(replay);
  const fastify = await startBareServer(replay, FLOOR);
  children.push(bare, fastify);
  const load = { connections: 10, seconds: 5 };
  for (const child of [bare, fastify, server]) await runLoad([child.origin], spec, { ...load, seconds: 2 });
  const result = await interleave(
    {
      'node:http': () => runLoad([bare.origin], spec, load),
      'bare Fastify': () => runLoad([fastify.origin], spec, load),
      'open2fa-server': () => runLoad([server.origin], spec, load),
    },
    3,
    (line) => process.stdout.write(`${line}\n`),
  );
  const base = result['node:http'].rps;
  for (const [name, figures] of Object.entries(result)) {
    process.stdout.write(
      `${name}: ${figures.rps.toFixed(0)} req/s (× ${(figures.rps / base).toFixed(2)}), p99 ${figures.p99.toFixed(2)} ms\n`,
    );
  }
} finally {
  for (const child of children) await child.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
