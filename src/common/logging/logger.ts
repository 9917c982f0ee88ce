import { format } from 'node:util';
import { LoggerService } from '@nestjs/common';
import { pino, DestinationStream, Logger } from 'pino';
import { LogLevel } from '../../config/config';

/** The server's logger: pino, one per server instance. Inject it with `@Inject(LOGGER)`. */
export type AppLogger = Logger;
export const LOGGER = Symbol('LOGGER');

/**
 * Structured logs through pino: one JSON object a line (on stdout unless given a destination), with
 * `level` (its name), `time` (ISO 8601) and `msg` beside the fields, so a log collector can index them.
 * Written synchronously, so the last line before an exit is not lost.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): AppLogger {
  return pino(
    {
      level,
      base: undefined, // no pid or hostname: the process manager knows them
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Nest's logger over pino, so framework messages (and Nest `Logger`s of the services) come out as
 * the same JSON lines, with Nest's context as `context` and an Error's stack as `stack`.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: unknown, rest: unknown[]): void {
    const fields = nestContext(rest);
    if (message instanceof Error) this.logger[level]({ ...fields, stack: message.stack }, message.message);
    else this.logger[level](fields, String(message));
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
export function routeConsoleTo(logger: AppLogger): void {
  const isError = (value: unknown): value is Error => !!value && typeof value === 'object' && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string';
  const writer =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const error = args.find(isError);
      const text = format(...args.filter((arg) => arg !== error));
      logger[level](error ? { error: error.message, stack: error.stack } : {}, text || (error?.message ?? ''));
    };
  console.debug = writer('debug');
  console.log = console.info = writer('info');
  console.warn = writer('warn');
  console.error = console.trace = writer('error');
}
