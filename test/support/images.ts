import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import request from 'supertest';
import type { TestServer } from './test-server';

/** What a phone writes into a photo: where, with what, by whom. */
export const PHONE_EXIF = {
  IFD0: { Make: 'PhoneMaker', Model: 'Pocket 12', Artist: 'Somchai Jaidee', Copyright: 'Somchai Jaidee' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '13/1 45/1 2/1', GPSLongitudeRef: 'E', GPSLongitude: '100/1 30/1 5/1' },
};

/** A photo made here, with EXIF (GPS, device, owner) and, when asked, an EXIF orientation. */
export async function photo(format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif', width = 1200, height = 800, orientation?: number): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: format === 'png' ? 4 : 3, background: { r: 200, g: 80, b: 40, alpha: 1 } } }).withExif(PHONE_EXIF);
  if (orientation) image = image.withMetadata({ orientation });
  return image.toFormat(format).toBuffer();
}

/** Whether an EXIF block holds a GPS IFD (its pointer tag 0x8825, in either byte order). */
export function hasGps(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb's header: a PNG of a few dozen bytes whose IHDR claims width × height pixels
 * (10 billion by default, 30 GB decoded), with a token IDAT. Refused from the header alone.
 */
export function pngClaiming(width = 100_000, height = 100_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a HEIC file (an iPhone photo): an ftyp box of brand "heic", then boxes we do not need. */
export function heicStart(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(4), Buffer.from('mif1heic', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.from([0, 0, 0, 16]), Buffer.from('meta', 'latin1'), Buffer.alloc(8)]);
}

/** A small PDF, as a file renamed to photo.jpg would carry it. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** Uploads a fresh JPEG as `token`'s account (POST /uploads/photos); returns the photo's global id. */
export async function uploadPhoto(api: TestServer, token: string): Promise<string> {
  const res = await request(api.http).post('/uploads/photos').set('content-type', 'image/jpeg').set('authorization', `Bearer ${token}`).send(await photo('jpeg', 640, 480));
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.photo.id as string;
}
