import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, ErrorCode } from './app-error';
import { t } from '../../i18n/i18n';
import { DATABASE_UNAVAILABLE_MESSAGE, errorBody, httpLocale, isDatabaseUnavailable } from './format-error';
import type { Locale } from '../../i18n/locale';

/** The HTTP status of each code a controller may answer with; a refusal by the state of things is 409. */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.GONE]: 410,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** Errors of body parsing, before GraphQL sees the request: answered in GraphQL's shape, with a code. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * Errors outside GraphQL (downloads, body parsing) in GraphQL's shape: `{ errors: [{ message, extensions: { code } }] }`, an AppError with the same extensions as in GraphQL.
 * Here the status is the answer, so a database outage is 503 SERVICE_UNAVAILABLE (not 500).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): unknown {
    // GraphQL errors are formatted by the GraphQL server: let them through.
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    // The account's language when a handler knew it (req.locale), else Accept-Language, else Thai.
    const locale = httpLocale(host.switchToHttp().getRequest<Request & { locale?: Locale }>());
    const error = exception as BodyParserError;
    const answer = (status: number, appError: AppError) => res.status(status).json(errorBody(appError, locale));
    // Codes of the request itself, not of ours (as GraphQL's own request errors): a message and the code.
    const refuse = (status: number, key: string, code: string) => res.status(status).json({ errors: [{ message: t(locale, key), extensions: { code } }] });
    if (error?.type === 'entity.too.large') return refuse(413, 'errors.http.bodyTooLarge', 'PAYLOAD_TOO_LARGE');
    if (error?.type === 'entity.parse.failed') return refuse(400, 'errors.http.bodyNotJson', 'BAD_REQUEST');
    if (isDatabaseUnavailable(exception)) {
      const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
      return answer(HTTP_STATUS[unavailable.code]!, unavailable);
    }
    if (exception instanceof AppError) return answer(HTTP_STATUS[exception.code] ?? 409, exception);
    if (exception instanceof HttpException) {
      // Nest's own refusals (no such route): its English, as graphql-js's messages are, with a code.
      return res.status(exception.getStatus()).json({ errors: [{ message: exception.message, extensions: { code: ({ 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE' } as Record<number, string>)[exception.getStatus()] ?? 'BAD_REQUEST' } }] });
    }
    return answer(500, new AppError(ErrorCode.INTERNAL_SERVER_ERROR));
  }
}
