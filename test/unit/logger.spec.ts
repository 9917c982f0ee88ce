import { createLogger, NestLogger } from '../../src/common/logging/logger';

/** The lines a logger writes, parsed, as a log collector reads them. */
function capture(level: Parameters<typeof createLogger>[0] = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('logger (pino)', () => {
  it('writes one JSON object a line: level by name, ISO time, msg, and the fields', () => {
    const { logger, lines } = capture();
    logger.info({ port: 3000 }, 'listening');
    expect(lines).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), msg: 'listening', port: 3000 }]);
  });

  it('leaves out lines below its level, and everything when silent', () => {
    const warn = capture('warn');
    warn.logger.info('not this');
    warn.logger.warn('this');
    expect(warn.lines.map((line) => line.msg)).toEqual(['this']);
    const silent = capture('silent');
    silent.logger.error('nor this');
    expect(silent.lines).toEqual([]);
  });

  it("serves as Nest's logger: context as a field, an Error's message as msg and its stack as stack", () => {
    const { logger, lines } = capture('debug');
    const nest = new NestLogger(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.verbose('detail', 'Scanner');
    const failure = new Error('after-commit action failed');
    nest.error(failure, 'UnitOfWork');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Nest application successfully started', context: 'NestApplication' }),
      expect.objectContaining({ level: 'debug', msg: 'detail', context: 'Scanner' }),
      expect.objectContaining({ level: 'error', msg: 'after-commit action failed', context: 'UnitOfWork', stack: failure.stack }),
    ]);
  });
});
