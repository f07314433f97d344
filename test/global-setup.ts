import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';

const SERVICES = [
  {
    name: 'PostgreSQL',
    port: 5432,
    hint: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  {
    name: 'Redis',
    port: 6379,
    hint: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save ""',
  },
];

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

/** Fails the run at once, with the command to fix it, when a service the tests need is down. */
export default async function globalSetup(): Promise<void> {
  mkdirSync('.kwik', { recursive: true });
  const down = [];
  for (const s of SERVICES)
    if (!(await reachable(s.port))) down.push(`${s.name} on 127.0.0.1:${s.port} (start: ${s.hint})`);
  if (down.length > 0)
    throw new Error(`Integration tests need real services; not answering: ${down.join('; ')}`);
}
