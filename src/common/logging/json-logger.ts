import { format } from 'node:util';
import { LoggerService } from '@nestjs/common';
import { LogLevel } from '../../config/config';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Structured logs: one JSON object a line on stdout, so a log collector can index them.
 * Also serves as Nest's logger, so framework messages come out in the same shape.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly out: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  write(level: Exclude<LogLevel, 'silent'>, msg: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    this.out(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', String(message), nestContext(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', String(message), nestContext(rest));
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', String(message), nestContext(rest));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', String(message), nestContext(rest));
  }
  error(message: unknown, ...rest: unknown[]): void {
    const fields = nestContext(rest);
    if (message instanceof Error) {
      this.write('error', message.message, { ...fields, stack: message.stack });
    } else {
      this.write('error', String(message), fields);
    }
  }
}

/** Nest passes (message, context) or (message, stack, context). */
function nestContext(rest: unknown[]): Record<string, unknown> {
  const strings = rest.filter((r): r is string => typeof r === 'string');
  if (strings.length === 0) return {};
  if (strings.length === 1) return { context: strings[0] };
  return { stack: strings[0], context: strings[strings.length - 1] };
}

/**
 * Sends what libraries print with `console` through the logger, so that every line the process writes
 * is one JSON object (graphql-ws prints its internal errors with console.error). Installed by the
 * process's entry point (main.ts), which owns the process's output; an Error argument becomes `stack`.
 */
export function routeConsoleTo(logger: JsonLogger): void {
  const isError = (value: unknown): value is Error => !!value && typeof value === 'object' && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string';
  const writer =
    (level: Exclude<LogLevel, 'silent'>) =>
    (...args: unknown[]): void => {
      const error = args.find(isError);
      const text = format(...args.filter((arg) => arg !== error));
      logger.write(level, text || (error?.message ?? ''), error ? { error: error.message, stack: error.stack } : {});
    };
  console.debug = writer('debug');
  console.log = console.info = writer('info');
  console.warn = writer('warn');
  console.error = console.trace = writer('error');
}
