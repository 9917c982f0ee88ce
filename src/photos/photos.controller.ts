import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '../accounts/auth.service';
import { RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { requestedLocale } from '../i18n/http-locale';
import type { Locale } from '../i18n/locale';
import { PHOTO_LIMITS } from './photo-limits';
import { PhotosService, PhotoView } from './photos.service';
import { readUploadBody } from './upload-body';

type PhotoRequest = Request & { requestId?: string; locale?: Locale };

/** Content types an upload may be sent with: the server decides by the bytes, the header only says "a file". */
const UPLOAD_TYPES = /^(image\/[a-z0-9.+-]+|application\/octet-stream)\s*(;|$)/i;

/**
 * Photo uploads for GraphQL clients, outside GraphQL (so Apollo's CSRF protection stays on for
 * /graphql): `POST /uploads/photos` with the image as the raw body and a bearer token answers
 * `{ photo: { id, url, thumbnailUrl, ... } }`, and the id goes into the mutation that attaches it.
 * Refusals are answered in GraphQL's shape, in the reader's language, by HttpErrorFilter.
 */
@Controller()
export class PhotosController {
  constructor(
    private readonly auth: AuthService,
    private readonly photos: PhotosService,
  ) {}

  @Post('uploads/photos')
  @HttpCode(201)
  async upload(@Req() req: PhotoRequest): Promise<{ photo: PhotoView }> {
    const rc = await this.context(req);
    // Signed in first: an anonymous body is not even read.
    const viewer = rc.requireViewer();
    if (!UPLOAD_TYPES.test(String(req.headers['content-type'] ?? ''))) {
      throw AppError.badInput([{ field: 'Content-Type', message: msg('photos.errors.rawBodyRequired') }]);
    }
    const bytes = await readUploadBody(req, PHOTO_LIMITS.maxBytes);
    return { photo: await this.photos.upload(viewer, bytes) };
  }

  @Get('photos/:id')
  serve(@Param('id') id: string, @Req() req: PhotoRequest, @Res() res: Response): Promise<void> {
    return this.send(id, 'original', req, res);
  }

  @Get('photos/:id/thumbnail')
  serveThumbnail(@Param('id') id: string, @Req() req: PhotoRequest, @Res() res: Response): Promise<void> {
    return this.send(id, 'thumbnail', req, res);
  }

  private async send(id: string, variant: 'original' | 'thumbnail', req: PhotoRequest, res: Response): Promise<void> {
    const rc = await this.context(req);
    const served = await this.photos.serve(id, variant, rc.viewer?.id ?? null);
    // Attached: anyone may keep a copy for a day. Unattached: the uploader's alone, checked again each time.
    res.setHeader('Cache-Control', served.public ? 'public, max-age=86400' : 'private, no-cache');
    res.setHeader('ETag', served.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    if (!served.public) res.setHeader('Vary', 'Authorization');
    const known = String(req.headers['if-none-match'] ?? '')
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''));
    if (known.includes(served.etag)) {
      res.status(304).end();
      return;
    }
    res.type(served.file.contentType);
    res.send(served.file.bytes);
  }

  /** Who asks, in which language (also the language of a refusal: HttpErrorFilter reads req.locale). */
  private async context(req: PhotoRequest): Promise<RequestContext> {
    const authentication = await this.auth.authenticate(req.headers.authorization);
    const rc = new RequestContext(req.requestId ?? '', authentication.viewer, 'problem' in authentication ? authentication.problem : undefined, undefined, requestedLocale(req));
    req.locale = rc.locale;
    return rc;
  }
}
