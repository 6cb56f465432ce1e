import { unlink } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A lock shared by every process on this machine, held as a listening Unix socket: the kernel
 * frees it when the holder exits, even by a crash, so a dead loader never blocks the next one.
 * On Linux the socket lives in the abstract namespace (no file); elsewhere it is a file in the
 * temp dir, and a file nobody listens on any more is taken over.
 */
export async function withMachineLock<T>(
  name: string,
  fn: () => Promise<T>,
  options: { waitMs?: number; onWait?: () => void } = {},
): Promise<T> {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  const path = process.platform === 'linux' ? `\0inlay-${safe}` : join(tmpdir(), `inlay-${safe}.sock`);
  const deadline = Date.now() + (options.waitMs ?? 30 * 60_000);
  let server = await tryListen(path);
  if (!server) options.onWait?.();
  for (let delay = 50; !server; delay = Math.min(delay * 2, 1_000)) {
    if (Date.now() > deadline) {
      throw new Error(`another process held the lock '${name}' for longer than ${options.waitMs} ms.`);
    }
    await new Promise((r) => setTimeout(r, delay));
    server = await tryListen(path);
  }
  try {
    return await fn();
  } finally {
    await new Promise<void>((done) => server.close(() => done()));
  }
}

function listen(path: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(null) : reject(e)));
    server.listen({ path, exclusive: true }, () => {
      server.unref(); // the lock alone never keeps the process alive
      resolve(server);
    });
  });
}

async function tryListen(path: string): Promise<Server | null> {
  const server = await listen(path);
  if (server || path.startsWith('\0') || (await someoneListens(path))) return server;
  // A socket file left by a process that died: nobody answers on it, so it is free.
  await unlink(path).catch(() => {});
  return listen(path);
}

function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
