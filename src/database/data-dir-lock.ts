import { createHash } from 'node:crypto';
import { realpathSync, rmSync } from 'node:fs';
import { createConnection, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One process per embedded data directory: PGlite has no lock of its own, and two processes on one
 * directory each keep their own view of it, so the commits of one are lost to the other.
 *
 * The lock is a listening socket named after the directory's real path. Binding a name is atomic (of two
 * starters one wins), and the kernel frees it when its process ends however it ends (crash, kill -9), so
 * there is no lock file to go stale and no pid to be reused. On Linux the name is in the abstract socket
 * namespace (no file at all); on Windows it is a named pipe, freed the same way. Other systems (macOS)
 * have neither: there it is a socket file in the temporary directory, taken over when no process answers
 * on it (two starts racing for a lock left by a crash could both take it there).
 *
 * Abstract names belong to a network namespace: processes in different ones (containers with networks of
 * their own sharing one volume) do not see each other's lock. The holder answers a connection with its
 * pid, so that a refusal can name it.
 */
export class DataDirLock {
  constructor(private readonly server: Server) {}

  /** Takes the lock of `dir` (which exists), or says which process holds it. */
  static async acquire(dir: string, platform: NodeJS.Platform = process.platform): Promise<{ lock: DataDirLock } | { heldBy: number | undefined }> {
    const { name, file } = lockName(realpathSync(dir), platform);
    const lock = await listen(name);
    if (lock) return { lock };
    const heldBy = await holderPid(name);
    if (heldBy === null) {
      // Nobody answers: the holder has just stopped, or (where names are files) left its file behind.
      if (file) rmSync(name, { force: true });
      const retaken = await listen(name);
      if (retaken) return { lock: retaken };
    }
    return { heldBy: heldBy ?? undefined };
  }

  release(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Hashed: a socket name has at most about 100 bytes, a path many more. */
function lockName(realDir: string, platform: NodeJS.Platform): { name: string; file: boolean } {
  const id = `district-participation-${createHash('sha256').update(realDir).digest('hex').slice(0, 32)}`;
  if (platform === 'linux') return { name: `\0${id}`, file: false };
  if (platform === 'win32') return { name: `\\\\?\\pipe\\${id}`, file: false };
  return { name: join(tmpdir(), `${id}.sock`), file: true };
}

/** The lock, or undefined when another process has the name. */
function listen(name: string): Promise<DataDirLock | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end(`${process.pid}\n`));
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(name, () => {
      // The lock must not keep a process alive that has nothing else to do.
      server.unref();
      resolve(new DataDirLock(server));
    });
  });
}

/**
 * The holder's pid; undefined when it does not say within a few seconds (its event loop may be busy
 * initialising the database); null when nothing listens on the name any more.
 */
function holderPid(name: string): Promise<number | undefined | null> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = createConnection(name);
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? null : undefined));
    socket.once('close', () => {
      const pid = Number.parseInt(answer, 10);
      resolve(Number.isSafeInteger(pid) && pid > 0 ? pid : undefined);
    });
  });
}
