import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, ErrorCode, msg, renderMessage, textOf } from '../common/errors/app-error';
import { DATABASE_UNAVAILABLE_MESSAGE, httpLocale, isDatabaseUnavailable } from '../common/errors/format-error';
import { HTTP_STATUS } from '../common/errors/http-error.filter';
import type { Locale } from '../i18n/locale';
import { OPEN311_FIELDS } from './open311.service';

/** GeoReport v2 as XML: we serve JSON only, and say so in the shape an XML client reads. */
export class XmlNotServed extends Error {}

/** One GeoReport v2 error: the HTTP status and what went wrong. */
export interface Open311Error {
  code: number;
  description: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/**
 * Refusals of the Open311 endpoint in the specification's shape: an array of `{ code, description }`
 * with the HTTP status as the code, in the reader's language; one entry per offending parameter, named
 * as Open311 names it (lat, service_code...).
 */
@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const locale = httpLocale(host.switchToHttp().getRequest<Request & { locale?: Locale }>());
    if (exception instanceof XmlNotServed) {
      const description = escapeXml(renderMessage(locale, msg('open311.errors.jsonOnly')));
      res.status(400).type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>${description}</description></error></errors>\n`);
      return;
    }
    const error = Open311ErrorFilter.appError(exception);
    const status = error instanceof HttpException ? error.getStatus() : (HTTP_STATUS[error.code] ?? 409);
    let errors: Open311Error[];
    if (error instanceof HttpException) {
      // Nest's own refusals before the controller runs: no such route, a body that is not JSON or too large.
      const cause = (error as { cause?: { type?: string } }).cause;
      const key = status === 404 ? 'open311.errors.noSuchResource' : status === 413 ? 'errors.http.bodyTooLarge' : cause instanceof SyntaxError || cause?.type === 'entity.parse.failed' ? 'errors.http.bodyNotJson' : 'errors.codes.BAD_USER_INPUT';
      errors = [{ code: status, description: renderMessage(locale, msg(key)) }];
    } else if (error.code === ErrorCode.BAD_USER_INPUT && error.fields?.length) {
      errors = error.fields.map((f) => ({ code: status, description: `${OPEN311_FIELDS[f.field] ?? f.field}: ${renderMessage(locale, f.message)}` }));
    } else {
      errors = [{ code: status, description: textOf(error, locale) }];
    }
    if (!(error instanceof HttpException) && error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(status).json(errors);
  }

  private static appError(exception: unknown): AppError | HttpException {
    if (exception instanceof AppError || exception instanceof HttpException) return exception;
    if (isDatabaseUnavailable(exception)) return new AppError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
    return new AppError(ErrorCode.INTERNAL_SERVER_ERROR);
  }
}

/**
 * The application's filter, with Open311's paths answered in Open311's shape even when their controller
 * never ran (a JSON body that does not parse, a body too large): a client of /open311/v2/ reads one shape.
 */
@Catch()
export class Open311PathsFilter implements ExceptionFilter {
  private readonly open311 = new Open311ErrorFilter();

  constructor(private readonly otherwise: ExceptionFilter) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() === 'http' && host.switchToHttp().getRequest<Request>().path?.startsWith('/open311/')) return this.open311.catch(exception, host);
    return this.otherwise.catch(exception, host);
  }
}
