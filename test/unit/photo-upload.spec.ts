import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { AppError } from '../../src/common/errors/app-error';
import { checkHeader, isHeic } from '../../src/photos/image-encoder';
import { readUploadBody } from '../../src/photos/upload-body';
import { heicStart } from '../support/images';

const refusalOf = (work: () => unknown): { code: string; key?: string } | null => {
  try {
    work();
    return null;
  } catch (error) {
    const e = error as AppError;
    return { code: e.code, key: e.fields?.[0]?.message.key };
  }
};

describe('photo uploads: what the header may say', () => {
  it('takes JPEG, PNG and WebP up to 50 megapixels', () => {
    for (const format of ['jpeg', 'png', 'webp']) expect(refusalOf(() => checkHeader({ format, width: 8000, height: 6000 }))).toBeNull();
  });

  it('refuses HEIC (HEVC), AVIF, other formats, bombs and headers without a size, each with its message', () => {
    expect(refusalOf(() => checkHeader({ format: 'heif', compression: 'hevc', width: 4032, height: 3024 }))).toEqual({ code: 'BAD_USER_INPUT', key: 'photos.errors.heicUnsupported' });
    expect(refusalOf(() => checkHeader({ format: 'heif', compression: 'av1', width: 10, height: 10 }))).toEqual({ code: 'BAD_USER_INPUT', key: 'photos.errors.unsupportedFormat' });
    for (const format of ['gif', 'svg', 'tiff', 'pdf', undefined]) expect(refusalOf(() => checkHeader({ format, width: 10, height: 10 }))?.key).toBe('photos.errors.unsupportedFormat');
    expect(refusalOf(() => checkHeader({ format: 'png', width: 100_000, height: 100_000 }))?.key).toBe('photos.errors.tooManyPixels');
    expect(refusalOf(() => checkHeader({ format: 'png', width: 7072, height: 7072 }))?.key).toBe('photos.errors.tooManyPixels');
    expect(refusalOf(() => checkHeader({ format: 'jpeg' }))?.key).toBe('photos.errors.notAnImage');
  });

  it('knows a HEIC file by its ftyp brands, not by its name', () => {
    expect(isHeic(heicStart())).toBe(true);
    const avif = heicStart();
    avif.write('avif', 8, 'latin1');
    avif.write('avif', 20, 'latin1');
    expect(isHeic(avif)).toBe(false);
    expect(isHeic(Buffer.from('%PDF-1.4 ftypheic'))).toBe(false);
  });
});

describe('photo uploads: reading the body', () => {
  const body = (contentLength?: number) => {
    const stream = new PassThrough();
    return Object.assign(stream, { headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) } }) as unknown as IncomingMessage & PassThrough;
  };

  it('answers the whole body within the limit', async () => {
    const req = body();
    const read = readUploadBody(req, 10);
    (req as unknown as PassThrough).end(Buffer.from('0123456789'));
    expect((await read).toString()).toBe('0123456789');
  });

  it('refuses a declared Content-Length beyond the limit without reading', async () => {
    const req = body(11);
    await expect(readUploadBody(req, 10)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((req as unknown as PassThrough).listenerCount('data')).toBe(0);
  });

  it('stops at the first byte beyond the limit of a body without a length, and lets the rest drain', async () => {
    const req = body();
    const read = readUploadBody(req, 10);
    const stream = req as unknown as PassThrough;
    stream.write(Buffer.alloc(8));
    stream.write(Buffer.alloc(8));
    await expect(read).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(stream.listenerCount('data')).toBe(0);
    expect(stream.readableFlowing).toBe(true);
  });
});
