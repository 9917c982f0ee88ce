import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `command` started through sh with its soft limit on open files raised to the hard limit (exec: the
 * pid stays the command's): thousands of WebSocket connections need a descriptor each.
 */
export function withRaisedFileLimit(command: string[]): string[] {
  return ['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...command];
}

/** The soft limit on open files of a process (/proc/<pid>/limits). */
export function openFileLimit(pid: number | 'self'): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}
