import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, ErrorCode, extensionsOf } from './app-error';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './format-error';

/** The HTTP status of each code a controller may answer with; a refusal by the state of things is 409. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.GONE]: 410,
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
    const error = exception as BodyParserError;
    if (error?.type === 'entity.too.large') {
      return res.status(413).json({ errors: [{ message: 'The request body is too large (at most 1 MB).', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    }
    if (error?.type === 'entity.parse.failed') {
      return res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    if (isDatabaseUnavailable(exception)) {
      const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE);
      return res.status(STATUS[unavailable.code]!).json({ errors: [{ message: unavailable.message, extensions: extensionsOf(unavailable) }] });
    }
    if (exception instanceof AppError) {
      return res.status(STATUS[exception.code] ?? 409).json({ errors: [{ message: exception.message, extensions: extensionsOf(exception) }] });
    }
    if (exception instanceof HttpException) {
      return res.status(exception.getStatus()).json({ errors: [{ message: exception.message, extensions: { code: ({ 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE' } as Record<number, string>)[exception.getStatus()] ?? 'BAD_REQUEST' } }] });
    }
    return res.status(500).json({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }
}
