import { All, Controller, Get, HttpCode, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { AuditScope, auditScope } from '../audit/audit-scope';
import { AuditService } from '../audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { requestedLocale } from '../i18n/http-locale';
import { isLocale, Locale, DEFAULT_LOCALE } from '../i18n/locale';
import { Open311ErrorFilter, XmlNotServed } from './open311-error.filter';
import { Open311Query, Open311Request, Open311Service, Open311Submission, Open311ViewService } from './open311.service';

type Open311HttpRequest = Request & { locale?: Locale; requestId?: string };

/** How a report filed through Open311 appears in the audit trail's `action`. */
export const OPEN311_AUDIT_ACTION = 'open311PostRequest';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under /open311/v2/, JSON only: the
 * report categories as services, reports as service requests (public, without anyone's personal data),
 * and POST requests.json for client applications with a key an administrator issued (README, Open311).
 * Everything is answered in Thai unless `?locale=en` (or `?lang=en`, or Accept-Language) asks otherwise;
 * refusals in the specification's error shape (Open311ErrorFilter).
 */
@Controller('open311/v2')
@UseFilters(Open311ErrorFilter)
export class Open311Controller {
  constructor(
    private readonly open311: Open311ViewService,
    private readonly audit: AuditService,
  ) {}

  @Get('services.:format')
  services(@Param('format') format: string, @Req() req: Open311HttpRequest): Promise<Open311Service[]> {
    const locale = Open311Controller.locale(req);
    Open311Controller.json(format);
    return this.open311.services(locale);
  }

  @Get('services/:file')
  definition(@Param('file') file: string, @Req() req: Open311HttpRequest): Promise<{ service_code: string; attributes: never[] }> {
    Open311Controller.locale(req);
    return this.open311.definition(Open311Controller.named(file));
  }

  @Get('requests.:format')
  requests(@Param('format') format: string, @Query() query: Open311Query, @Req() req: Open311HttpRequest): Promise<Open311Request[]> {
    const locale = Open311Controller.locale(req);
    Open311Controller.json(format);
    return this.open311.requests(query, locale, Open311Controller.origin(req));
  }

  @Post('requests.:format')
  @HttpCode(201)
  submit(@Param('format') format: string, @Req() req: Open311HttpRequest): Promise<{ service_request_id: string; service_notice: string | null; account_id: string | null }[]> {
    const locale = Open311Controller.locale(req);
    Open311Controller.json(format);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Open311Submission & { api_key?: unknown };
    // In the audit trail as a mutation is (AuditInterceptor): the report's district, no actor (a key is no account), refusals too.
    const scope: AuditScope = { rc: new RequestContext(req.requestId ?? '', null, undefined, undefined, locale), action: OPEN311_AUDIT_ACTION, written: false };
    return auditScope.run(scope, async () => {
      try {
        const answer = await this.open311.submit(body.api_key ?? req.query.api_key, body);
        await this.audit.recordOutside(scope, null);
        return answer;
      } catch (error) {
        await this.audit.recordOutside(scope, error);
        throw error;
      }
    });
  }

  @Get('requests/:file')
  request(@Param('file') file: string, @Req() req: Open311HttpRequest): Promise<Open311Request[]> {
    const locale = Open311Controller.locale(req);
    return this.open311.request(Open311Controller.named(file), locale, Open311Controller.origin(req));
  }

  /** Anything else under /open311/v2/: NOT_FOUND in the specification's shape. */
  @All('*rest')
  unknown(@Req() req: Open311HttpRequest): never {
    Open311Controller.locale(req);
    throw AppError.notFound(msg('open311.errors.noSuchResource'));
  }

  /** `ROADS.json` → `ROADS`; `.xml` is refused with the reason, anything else is not found. */
  private static named(file: string): string {
    const dot = file.lastIndexOf('.');
    Open311Controller.json(dot > 0 ? file.slice(dot + 1) : '');
    return file.slice(0, dot);
  }

  private static json(format: string): void {
    if (format === 'xml') throw new XmlNotServed();
    if (format !== 'json') throw AppError.notFound(msg('open311.errors.noSuchResource'));
  }

  /** `?locale=th|en` (as GeoReport clients send it), else our `?lang=` and Accept-Language, else Thai; noted for the error filter. */
  private static locale(req: Open311HttpRequest): Locale {
    const asked = req.query?.locale;
    req.locale = isLocale(asked) ? asked : (requestedLocale(req) ?? DEFAULT_LOCALE);
    return req.locale;
  }

  /** Where this server is reached, for media_url (X-Forwarded-Proto/Host count only with TRUST_PROXY). */
  private static origin(req: Request): string {
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }
}
