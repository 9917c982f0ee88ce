import { AppLogger } from '../../src/common/logging/logger';
import { AppConfig } from '../../src/config/config';
import { Mailer } from '../../src/mail/mailer';

/** A logger that keeps what it is told, by level. */
function recordingLogger(): { logger: AppLogger; lines: { level: string; fields: unknown; msg: unknown }[] } {
  const lines: { level: string; fields: unknown; msg: unknown }[] = [];
  const at = (level: string) => (fields: unknown, msg?: unknown) => lines.push({ level, fields, msg: msg ?? fields });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') } as unknown as AppLogger, lines };
}

const MESSAGE = { kind: 'password-reset', to: 'somchai@example.org', subject: 'ตั้งรหัสผ่านใหม่', text: 'https://app.example/reset?token=secret-token' };

describe('Mailer without SMTP_URL', () => {
  it('in production: says so at boot, and drops each mail without writing its text (a reset link is a credential)', async () => {
    const { logger, lines } = recordingLogger();
    const mailer = new Mailer({ nodeEnv: 'production', mailFrom: 'no-reply@example.org' } as AppConfig, logger);
    mailer.onApplicationBootstrap();
    expect(lines).toEqual([{ level: 'error', fields: expect.stringContaining('SMTP_URL is not set'), msg: expect.any(String) }]);
    mailer.sendLater(MESSAGE);
    await mailer.idle();
    expect(lines[1]).toEqual({ level: 'warn', fields: { kind: 'password-reset' }, msg: 'mail dropped: SMTP_URL is not set' });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('elsewhere: writes the mail to the log, and says nothing at boot', async () => {
    const { logger, lines } = recordingLogger();
    const mailer = new Mailer({ nodeEnv: 'development', mailFrom: 'no-reply@example.org' } as AppConfig, logger);
    mailer.onApplicationBootstrap();
    expect(lines).toEqual([]);
    mailer.sendLater(MESSAGE);
    await mailer.idle();
    expect(lines).toEqual([{ level: 'info', fields: { kind: 'password-reset', mail: { from: 'no-reply@example.org', to: MESSAGE.to, subject: MESSAGE.subject, text: MESSAGE.text } }, msg: expect.stringContaining('written to the log') }]);
  });
});
