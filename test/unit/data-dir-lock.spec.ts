import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLock } from '../../src/database/data-dir-lock';

/**
 * The lock of an embedded data directory, in one process: the server's own cases (a second server, a
 * server killed with kill -9) are in process.spec. Both kinds of name are tried here: the abstract one
 * of Linux, and the socket file of systems without one (which Linux can also make).
 */
const KINDS: NodeJS.Platform[] = process.platform === 'linux' ? ['linux', 'darwin'] : process.platform === 'win32' ? ['win32'] : [process.platform];

describe.each(KINDS)('the data directory lock (names as on %s)', (platform) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dp-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is held by one at a time, and a refusal names the holder', async () => {
    const first = await DataDirLock.acquire(dir, platform);
    expect('lock' in first).toBe(true);
    expect(await DataDirLock.acquire(dir, platform)).toEqual({ heldBy: process.pid });
    // The same directory under another name is the same directory.
    expect(await DataDirLock.acquire(`${dir}/.`, platform)).toEqual({ heldBy: process.pid });
    // Another directory is free.
    const other = mkdtempSync(join(tmpdir(), 'dp-lock-'));
    const second = await DataDirLock.acquire(other, platform);
    expect('lock' in second).toBe(true);
    if ('lock' in second) await second.lock.release();
    rmSync(other, { recursive: true, force: true });

    if ('lock' in first) await first.lock.release();
    const again = await DataDirLock.acquire(dir, platform);
    expect('lock' in again).toBe(true);
    if ('lock' in again) await again.lock.release();
  });

  it('is free again when its holder is killed (kill -9)', async () => {
    const holder = `
      const { DataDirLock } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'src', 'database', 'data-dir-lock.js'))});
      DataDirLock.acquire(${JSON.stringify(dir)}, ${JSON.stringify(platform)}).then((taken) => {
        if (!('lock' in taken)) process.exit(3);
        process.kill(process.pid, 'SIGKILL');
      });`;
    const killed = spawnSync(process.execPath, ['-e', holder]);
    expect(killed.signal).toBe('SIGKILL');
    const taken = await DataDirLock.acquire(dir, platform);
    expect('lock' in taken).toBe(true);
    if ('lock' in taken) await taken.lock.release();
    expect(readdirSync(dir)).toEqual([]); // nothing of the lock in the directory
    expect(existsSync(dir)).toBe(true);
  });
});
