import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import sharp from 'sharp';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/clock/clock';
import { AppError } from '../../src/common/errors/app-error';
import { fromGlobalId, toGlobalId } from '../../src/common/relay/global-id';
import { PhotoPurge } from '../../src/photos/photo-purge';
import { PhotosService } from '../../src/photos/photos.service';
import { Account, register } from '../support/factories';
import { hasGps, heicStart, PDF, photo, pngClaiming } from '../support/images';
import { TestServer } from '../support/test-server';

const HOUR = 3_600_000;

describe('photos: uploaded raw, re-encoded without EXIF, served to whom may see them, claimed or purged', () => {
  let api: TestServer;
  let db: Client;
  let clock: Clock;
  let resident: Account;
  let neighbour: Account;

  beforeAll(async () => {
    api = await TestServer.start({ env: { ACCESS_TOKEN_TTL: '86400' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    clock = api.server.app.get(Clock);
    resident = await register(api, { locale: 'en' });
    neighbour = await register(api, { locale: 'th' });
  });
  afterEach(() => {
    delete (clock as { now?: unknown }).now;
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  const upload = (bytes: Buffer, token?: string, type = 'image/jpeg') => {
    let req = request(api.http).post('/uploads/photos').set('content-type', type);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    return req.send(bytes);
  };
  const get = (path: string, token?: string) => {
    const req = request(api.http)
      .get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };
  const stored = async () => (await db.query(`SELECT (SELECT count(*)::int FROM photos) AS photos, (SELECT count(*)::int FROM photo_blobs) AS files`)).rows[0] as { photos: number; files: number };
  const code = (res: { body: any }) => res.body.errors?.[0]?.extensions?.code;
  /** A photo claimed by `owner`, as a report's mutation would in its transaction. */
  const claim = (ids: string[], owner: Account) => api.server.app.get(DataSource).transaction((em) => api.server.app.get(PhotosService).claim(ids, fromGlobalId(owner.id, 'User'), em));

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)('stores a %s photo re-encoded as JPEG, with no EXIF (GPS, device, owner), XMP or ICC left, and a 320 px thumbnail', async (format, type) => {
    const original = await photo(format);
    // The test image does carry what a phone writes.
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('Somchai Jaidee');
    expect(before.exif?.toString('latin1')).toContain('PhoneMaker');
    expect(hasGps(before.exif)).toBe(true);

    const res = await upload(original, resident.token, type);
    expect(res.status).toBe(201);
    const uploaded = res.body.photo;
    expect(uploaded).toMatchObject({ contentType: 'image/jpeg', width: 1200, height: 800, thumbnailWidth: 320, thumbnailHeight: 213, attached: false });
    expect(fromGlobalId(uploaded.id, 'Photo')).toMatch(/^[0-9a-f-]{36}$/);

    const image = await get(uploaded.url, resident.token);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(image.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 800 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect((image.body as Buffer).toString('latin1')).not.toContain('Somchai');

    const thumbnail = await get(uploaded.thumbnailUrl, resident.token);
    const thumbMeta = await sharp(thumbnail.body as Buffer).metadata();
    expect(thumbMeta).toMatchObject({ format: 'jpeg', width: 320, height: 213 });
    expect(thumbMeta.exif).toBeUndefined();
  });

  it('turns a photo upright by its EXIF orientation before dropping the EXIF, and scales a large one down to 2560 px', async () => {
    // Orientation 6: the camera was held upright, the sensor wrote it on its side.
    const sideways = (await upload(await photo('jpeg', 1200, 800, 6), resident.token)).body.photo;
    expect([sideways.width, sideways.height]).toEqual([800, 1200]);
    const large = (await upload(await photo('jpeg', 4000, 3000), resident.token)).body.photo;
    expect([large.width, large.height, large.thumbnailWidth, large.thumbnailHeight]).toEqual([2560, 1920, 320, 240]);
  });

  it('decides by content: a renamed PDF, a GIF, an AVIF, text and an empty body are refused with BAD_USER_INPUT, in the reader’s language, and nothing is stored', async () => {
    const before = await stored();
    const pdf = await upload(PDF, resident.token, 'image/jpeg');
    expect([pdf.status, code(pdf)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(pdf.body.errors[0].extensions.fields).toEqual([{ field: 'body', message: 'is not an image we can read: send a JPEG, PNG, WebP or HEIC photo' }]);

    const gif = await upload(await photo('gif', 50, 50), resident.token, 'image/png');
    expect([gif.status, code(gif)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(gif.body.errors[0].extensions.fields[0].message).toBe('is a GIF file: only JPEG, PNG, WebP and HEIC photos are accepted');
    const avif = await upload(await photo('avif', 50, 50), resident.token, 'image/avif');
    expect(avif.body.errors[0].extensions.fields[0].message).toContain('is a AVIF file');

    // The neighbour reads Thai.
    const text = await upload(Buffer.from('<html><script>alert(1)</script></html>'), neighbour.token, 'image/jpeg');
    expect([text.status, code(text)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(text.body.errors[0].extensions.fields[0].message).toBe('ไม่ใช่รูปภาพที่อ่านได้ กรุณาส่งรูปภาพแบบ JPEG, PNG, WebP หรือ HEIC');
    expect(code(await upload(Buffer.alloc(0), resident.token))).toBe('BAD_USER_INPUT');

    // Not sent as a file at all.
    const json = await upload(Buffer.from('{"photo":"x"}'), resident.token, 'text/plain');
    expect(json.body.errors[0].extensions.fields[0].field).toBe('Content-Type');
    expect(await stored()).toEqual(before);
  });

  it('refuses HEIC with its own message: the prebuilt libvips has no HEVC decoder', async () => {
    const heic = await upload(heicStart(), resident.token, 'image/heic');
    expect([heic.status, code(heic)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(heic.body.errors[0].extensions.fields[0].message).toMatch(/^is a HEIC photo, which this server cannot read yet/);
  });

  it('refuses a decompression bomb from its header, before decoding a pixel', async () => {
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const before = await stored();
    const res = await upload(bomb, resident.token, 'image/png');
    expect([res.status, code(res)]).toEqual([400, 'BAD_USER_INPUT']);
    // Its token IDAT would fail to decode ("not an image"): the refusal is the header's.
    expect(res.body.errors[0].extensions.fields[0].message).toBe('has 100000 × 100000 pixels: at most 50 megapixels are accepted');
    expect(await stored()).toEqual(before);
  });

  it('refuses a body beyond 8 MB with 413 PAYLOAD_TOO_LARGE, by its Content-Length or while reading it, and keeps nothing', async () => {
    const before = await stored();
    const declared = await upload(Buffer.alloc(9 * 1024 * 1024, 0xff), resident.token);
    expect([declared.status, code(declared)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(declared.body.errors[0].message).toBe('The photo is too large: at most 8 MB.');

    // Chunked, without a Content-Length: counted as it arrives.
    const streamed = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const url = new URL('/uploads/photos', api.url);
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${neighbour.token}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      const piece = Buffer.alloc(1024 * 1024, 0xd8);
      let sent = 0;
      const more = () => {
        while (sent < 9) {
          sent += 1;
          if (!req.write(piece)) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    expect([streamed.status, streamed.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(streamed.body.errors[0].message).toBe('รูปภาพมีขนาดใหญ่เกินไป ได้ไม่เกิน 8 MB');
    expect(await stored()).toEqual(before);
  });

  it('refuses anonymous uploads and unusable tokens with UNAUTHENTICATED (401)', async () => {
    const anonymous = await upload(await photo('jpeg', 40, 40));
    expect([anonymous.status, code(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    // No account, no language of its own: Thai.
    expect(anonymous.body.errors[0].message).toMatch(/[\u0E00-\u0E7F]/);
    const forged = await upload(await photo('jpeg', 40, 40), 'not-a-token');
    expect([forged.status, code(forged)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('lets an account hold at most 30 unattached uploads (RATE_LIMITED), and more once some are claimed', async () => {
    const busy = await register(api, { locale: 'en' });
    const tiny = await photo('png', 8, 8);
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) ids.push((await upload(tiny, busy.token, 'image/png')).body.photo.id);
    const refused = await upload(tiny, busy.token, 'image/png');
    expect([refused.status, code(refused), refused.body.errors[0].extensions.retryAfter]).toEqual([429, 'RATE_LIMITED', 3600]);
    await claim(ids.slice(0, 3), busy);
    expect((await upload(tiny, busy.token, 'image/png')).status).toBe(201);
  });

  it('serves an unattached upload to its uploader only (ETag, no shared cache), and to everyone once attached', async () => {
    const uploaded = (await upload(await photo('jpeg', 64, 48), resident.token)).body.photo;
    const mine = await get(uploaded.url, resident.token);
    expect(mine.status).toBe(200);
    expect(mine.headers['cache-control']).toBe('private, no-cache');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    const etag = mine.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(uploaded.url, resident.token).set('if-none-match', etag);
    expect(again.status).toBe(304);

    for (const [path, token] of [
      [uploaded.url, neighbour.token],
      [uploaded.thumbnailUrl, neighbour.token],
      [uploaded.url, undefined],
    ] as const) {
      const refused = await request(api.http).get(path).set(token ? { authorization: `Bearer ${token}` } : {});
      expect([refused.status, code(refused)]).toEqual([404, 'NOT_FOUND']);
    }
    // Ids that are no photo's: unknown, of another type, malformed.
    for (const id of [toGlobalId('Photo', '00000000-0000-4000-8000-000000000000'), resident.id, 'not-an-id!']) {
      expect((await request(api.http).get(`/photos/${encodeURIComponent(id)}`)).status).toBe(404);
    }

    await claim([uploaded.id], resident);
    const attached = await get(uploaded.url);
    expect(attached.status).toBe(200);
    expect(attached.headers['cache-control']).toBe('public, max-age=86400');
    expect((await get(uploaded.thumbnailUrl, neighbour.token)).status).toBe(200);
  });

  it("claims only the claimant's own unattached uploads, all or none", async () => {
    const mine = (await upload(await photo('png', 30, 30), resident.token)).body.photo;
    const theirs = (await upload(await photo('png', 30, 30), neighbour.token)).body.photo;
    const refusal = async (ids: string[], owner: Account) => {
      const error = await claim(ids, owner).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return { code: (error as AppError).code, fields: (error as AppError).fields?.map((f) => f.field) };
    };
    expect(await refusal([mine.id, theirs.id], resident)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.photoIds[1]'] });
    expect(await refusal([mine.id, mine.id], resident)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.photoIds[1]'] });
    expect(await refusal([resident.id], resident)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.photoIds[0]'] });
    // The refused claim attached nothing: the resident's photo is still theirs to claim, once.
    const [claimed] = await claim([mine.id], resident);
    expect(claimed.attachedAt).toBeInstanceOf(Date);
    expect(await refusal([mine.id], resident)).toEqual({ code: 'BAD_USER_INPUT', fields: ['input.photoIds[0]'] });
  });

  it('purges uploads nobody claimed a day after upload, files and all, on the injected clock; attached ones stay', async () => {
    const purge = api.server.app.get(PhotoPurge);
    const unclaimed = (await upload(await photo('webp', 40, 40), neighbour.token)).body.photo;
    const claimedPhoto = (await upload(await photo('webp', 40, 40), neighbour.token)).body.photo;
    await claim([claimedPhoto.id], neighbour);
    const exists = async (globalId: string) => {
      const id = fromGlobalId(globalId, 'Photo');
      const { rows } = await db.query(`SELECT (SELECT count(*)::int FROM photos WHERE id = $1) AS photos, (SELECT count(*)::int FROM photo_blobs WHERE key LIKE 'photos/' || $1 || '%') AS files`, [id]);
      return rows[0];
    };

    clock.now = () => new Date(Date.now() + 23 * HOUR);
    await purge.purge();
    expect(await exists(unclaimed.id)).toEqual({ photos: 1, files: 2 });

    clock.now = () => new Date(Date.now() + 25 * HOUR);
    await purge.purge();
    expect(await exists(unclaimed.id)).toEqual({ photos: 0, files: 0 });
    expect(await exists(claimedPhoto.id)).toEqual({ photos: 1, files: 2 });
    expect(purge.lastPass).toBeGreaterThanOrEqual(1);
    delete (clock as { now?: unknown }).now;
    expect((await get(unclaimed.url, neighbour.token)).status).toBe(404);
    expect((await get(claimedPhoto.url, neighbour.token)).status).toBe(200);
  });
});
