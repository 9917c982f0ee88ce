import type Sharp from 'sharp';
import { AppError, msg } from '../common/errors/app-error';
import { PHOTO_LIMITS } from './photo-limits';

let sharpModule: typeof Sharp | undefined;
/** sharp (libvips) is loaded at the first photo, not at every start (a tenth to a half of a second of it). */
function loadSharp(): typeof Sharp {
  return (sharpModule ??= require('sharp') as typeof Sharp);
}

/** The image as stored: our own encoding, with no metadata of the upload's. */
export interface EncodedPhoto {
  contentType: string;
  image: { bytes: Buffer; width: number; height: number };
  thumbnail: { bytes: Buffer; width: number; height: number };
}

/** What an image's header says, as far as the checks need it (sharp's metadata, read without decoding). */
export interface ImageHeader {
  format?: string;
  compression?: string;
  width?: number;
  height?: number;
}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

/** HEIF brands of HEVC-coded images (HEIC), as phones write them in the file's `ftyp` box. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

const refuse = (key: string, values?: Record<string, unknown>) => AppError.badInput([{ field: 'body', message: msg(key, values) }]);

/** Whether the bytes are an ISO-BMFF file of a HEIC brand (major brand or a compatible one in the ftyp box). */
export function isHeic(bytes: Buffer): boolean {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands.some((brand) => HEIC_BRANDS.has(brand));
}

/**
 * Refuses what the header says we do not take, before a pixel is decoded: anything but JPEG, PNG or WebP
 * (by content, whatever the name or Content-Type said), HEIC (which sharp's prebuilt libvips cannot
 * decode: HEVC is patent-encumbered, so it ships only the AV1 decoder), and images of more than
 * PHOTO_LIMITS.maxPixels (a decompression bomb: a small file whose header claims a huge canvas).
 */
export function checkHeader(header: ImageHeader): void {
  if (header.format === 'heif') {
    if (header.compression === 'av1') throw refuse('photos.errors.unsupportedFormat', { format: 'AVIF' });
    throw refuse('photos.errors.heicUnsupported');
  }
  if (!header.format || !ACCEPTED_FORMATS.has(header.format)) throw refuse('photos.errors.unsupportedFormat', { format: (header.format ?? '?').toUpperCase() });
  const { width, height } = header;
  if (!width || !height) throw refuse('photos.errors.notAnImage');
  if (width * height > PHOTO_LIMITS.maxPixels) throw refuse('photos.errors.tooManyPixels', { width, height, megapixels: PHOTO_LIMITS.maxPixels / 1_000_000 });
}

/**
 * The upload re-encoded: auto-rotated by its EXIF orientation, scaled to fit PHOTO_LIMITS.storedEdge,
 * flattened onto white, written as a new JPEG (sharp writes no metadata unless asked: no EXIF, XMP, IPTC
 * or ICC profile survives, so no place, device or owner), and a thumbnail of it.
 */
export async function encodePhoto(bytes: Buffer): Promise<EncodedPhoto> {
  const sharp = loadSharp();
  let header: ImageHeader;
  try {
    // The header only: no pixel is decoded, so no limit is needed yet (checkHeader applies ours).
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    if (isHeic(bytes)) throw refuse('photos.errors.heicUnsupported');
    throw refuse('photos.errors.notAnImage');
  }
  checkHeader(header);
  try {
    // The pixel limit again, in libvips, in case a decoder finds more than the header said.
    const image = await sharp(bytes, { limitInputPixels: PHOTO_LIMITS.maxPixels, failOn: 'error', autoOrient: true })
      .resize({ width: PHOTO_LIMITS.storedEdge, height: PHOTO_LIMITS.storedEdge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(image.data)
      .resize({ width: PHOTO_LIMITS.thumbnailEdge, height: PHOTO_LIMITS.thumbnailEdge, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      contentType: 'image/jpeg',
      image: { bytes: image.data, width: image.info.width, height: image.info.height },
      thumbnail: { bytes: thumbnail.data, width: thumbnail.info.width, height: thumbnail.info.height },
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A header that promised an image whose data is broken or truncated.
    throw refuse('photos.errors.notAnImage');
  }
}
