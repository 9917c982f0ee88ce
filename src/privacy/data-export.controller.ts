import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '../accounts/auth.service';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { DataExportService, EXPORTS_PATH } from './data-export.service';

/**
 * GET /exports/<token>: a data export, once. The token is the credential (a link works without signing
 * in); sent with an access token of another account it is as good as unknown. Errors are answered in
 * GraphQL's shape by HttpErrorFilter: 404 unknown, 409 not ready yet, 410 already fetched or expired.
 */
@Controller(EXPORTS_PATH)
export class DataExportController {
  constructor(
    private readonly exports: DataExportService,
    private readonly auth: AuthService,
  ) {}

  @Get(':token')
  async download(@Param('token') token: string, @Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError(ErrorCode.NOT_FOUND, msg('privacy.errors.exportLinkUnknown'));
    const authentication = await this.auth.authenticate(authorization);
    if (!authentication.viewer && authentication.problem) throw AppError.unauthenticated(authentication.problem);
    const file = await this.exports.fetchOnce(token, authentication.viewer?.id ?? null);
    res.setHeader('cache-control', 'no-store');
    res.attachment(file.filename);
    res.type('application/json; charset=utf-8');
    res.send(file.content);
  }
}
