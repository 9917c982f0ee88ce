import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '../accounts/auth.service';
import { RequestContext } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { attachment } from '../common/http/download';
import { fromGlobalId } from '../common/relay/global-id';
import { requestedLocale } from '../i18n/http-locale';
import type { Locale } from '../i18n/locale';
import { t } from '../i18n/i18n';
import { HearingMinutesService } from './hearing-minutes.service';
import { HearingsService } from './hearings.service';

/**
 * The minutes of a closed hearing as a Markdown file, to print or file away: the same document as
 * `minutes { markdown }`, in the reader's language (the account's when a bearer token comes with the
 * request, else `?lang=`, else Accept-Language, else Thai).
 */
@Controller('hearings')
export class MinutesDownloadController {
  constructor(
    private readonly auth: AuthService,
    private readonly hearings: HearingsService,
    private readonly minutes: HearingMinutesService,
  ) {}

  @Get(':id/minutes.md')
  async download(@Param('id') globalId: string, @Req() req: Request & { requestId?: string; locale?: Locale }, @Res() res: Response): Promise<void> {
    let id: string;
    try {
      id = fromGlobalId(globalId, 'Hearing');
    } catch (error) {
      // A malformed id in a URL is no such hearing, as for the voting round downloads.
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw AppError.notFound('Hearing');
      throw error;
    }
    // The minutes are public: a token that does not sign in only loses its language, as in GraphQL.
    const authentication = await this.auth.authenticate(req.headers.authorization);
    const rc = new RequestContext(req.requestId ?? '', authentication.viewer, undefined, undefined, requestedLocale(req));
    // Also the language of a refusal (HttpErrorFilter reads req.locale first).
    req.locale = rc.locale;
    if (!(await this.hearings.find(rc, id))) throw AppError.notFound('Hearing');
    const record = await this.minutes.minutes(rc, id);
    if (!record) throw AppError.illegalState(msg('minutes.errors.notClosed'));
    attachment(res, `hearing-${globalId}-minutes.md`, `${t(rc.locale, 'minutes.file')}-${globalId}.md`);
    res.type('text/markdown; charset=utf-8');
    res.setHeader('Content-Language', rc.locale);
    res.setHeader('Vary', 'Accept-Language');
    res.send(record.markdown);
  }
}
