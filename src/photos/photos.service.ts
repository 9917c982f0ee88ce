import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import type { Viewer } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { fromGlobalId, toGlobalId } from '../common/relay/global-id';
import { UnitOfWork } from '../database/unit-of-work';
import { termsNotAccepted } from '../privacy/terms';
import { encodePhoto } from './image-encoder';
import { PhotoEntity } from './photo.entity';
import { PHOTO_LIMITS } from './photo-limits';
import { PHOTO_STORAGE, PhotoStorage, photoKeys, StoredFile } from './photo-storage';

/** The type name inside a photo's global id. */
export const PHOTO_TYPE = 'Photo';

/** Where a photo and its thumbnail are served (GET, see PhotosController). */
export function photoPaths(photoId: string): { url: string; thumbnailUrl: string } {
  const id = toGlobalId(PHOTO_TYPE, photoId);
  return { url: `/photos/${id}`, thumbnailUrl: `/photos/${id}/thumbnail` };
}

/** A photo as an upload's answer shows it. */
export interface PhotoView {
  id: string;
  contentType: string;
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
  url: string;
  thumbnailUrl: string;
  uploadedAt: string;
  attached: boolean;
}

export function photoView(photo: PhotoEntity): PhotoView {
  return {
    id: toGlobalId(PHOTO_TYPE, photo.id),
    contentType: photo.contentType,
    width: photo.width,
    height: photo.height,
    thumbnailWidth: photo.thumbnailWidth,
    thumbnailHeight: photo.thumbnailHeight,
    ...photoPaths(photo.id),
    uploadedAt: photo.uploadedAt.toISOString(),
    attached: photo.attachedAt !== null,
  };
}

/** A file to serve, with what its response needs. */
export interface ServedPhoto {
  file: StoredFile;
  /** Stored files never change: the id and the variant name them. */
  etag: string;
  /** Public once attached; the uploader's alone before. */
  public: boolean;
}

/**
 * Photos uploaded for a later mutation: an upload is re-encoded and stored, belongs to its uploader and
 * is unattached until a mutation claims it (`claim`, in that mutation's transaction); what is not
 * claimed within a day is purged (PhotoPurge).
 */
@Injectable()
export class PhotosService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
  ) {}

  /** Stores an uploaded file (its raw bytes) as a photo of `viewer`'s, or refuses it (README, Photos: limits). */
  async upload(viewer: Viewer, bytes: Buffer): Promise<PhotoView> {
    // An upload is a change: an account asked to accept new terms does that first, as for mutations.
    if (viewer.mustAcceptTerms) throw termsNotAccepted();
    if (bytes.length === 0) throw AppError.badInput([{ field: 'body', message: msg('photos.errors.empty') }]);
    // Decoding and encoding take the CPU, not the database: before the transaction.
    const encoded = await encodePhoto(bytes);
    // Keys written so far: a store outside the database does not roll back with the transaction.
    let written: string[] = [];
    try {
      return await this.uow.run(async ({ em }) => {
        // The uploader's row locked: two uploads at once are counted one after the other.
        await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [viewer.id]);
        const [{ n }]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM photos WHERE owner_id = $1 AND attached_at IS NULL`, [viewer.id]);
        if (n >= PHOTO_LIMITS.maxUnattachedPerOwner) {
          throw AppError.rateLimited(msg('photos.errors.tooManyUnattached', { count: PHOTO_LIMITS.maxUnattachedPerOwner }), 3600);
        }
        const photo = await em.getRepository(PhotoEntity).save(
          em.getRepository(PhotoEntity).create({
            ownerId: viewer.id,
            contentType: encoded.contentType,
            width: encoded.image.width,
            height: encoded.image.height,
            byteSize: encoded.image.bytes.length,
            thumbnailWidth: encoded.thumbnail.width,
            thumbnailHeight: encoded.thumbnail.height,
            uploadedAt: this.clock.now(),
            attachedAt: null,
          }),
        );
        const keys = photoKeys(photo.id);
        written = [keys.original, keys.thumbnail];
        await this.storage.put(keys.original, { bytes: encoded.image.bytes, contentType: encoded.contentType }, em);
        await this.storage.put(keys.thumbnail, { bytes: encoded.thumbnail.bytes, contentType: encoded.contentType }, em);
        return photoView(photo);
      });
    } catch (error) {
      if (written.length > 0) await this.storage.delete(written).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Attaches uploaded photos to what the calling mutation creates, in its transaction `em`: each must be
   * an unattached upload of `ownerId`'s, else BAD_USER_INPUT on `field` (a photo of someone else's is
   * as unknown as one that does not exist). Answers the photos in the order given.
   */
  async claim(photoIds: readonly string[], ownerId: string, em: EntityManager, field = 'input.photoIds'): Promise<PhotoEntity[]> {
    if (photoIds.length === 0) return [];
    const ids = photoIds.map((id, i) => fromGlobalId(id, PHOTO_TYPE, `${field}[${i}]`));
    const firstRepeat = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (firstRepeat >= 0) throw AppError.badInput([{ field: `${field}[${firstRepeat}]`, message: msg('photos.errors.repeated') }]);
    const [rows]: [Record<string, unknown>[], number] = await em.query(
      `UPDATE photos SET attached_at = $1 WHERE id = ANY($2::uuid[]) AND owner_id = $3 AND attached_at IS NULL RETURNING *`,
      [this.clock.now(), ids, ownerId],
    );
    const claimed = rows.map((row) => em.getRepository(PhotoEntity).create(fromRow(row)));
    const byId = new Map(claimed.map((photo) => [photo.id, photo]));
    const missing = ids.findIndex((id) => !byId.has(id));
    if (missing >= 0) throw AppError.badInput([{ field: `${field}[${missing}]`, message: msg('photos.errors.notClaimable') }]);
    return ids.map((id) => byId.get(id)!);
  }

  /** A photo's file (or its thumbnail's) for `viewerId`, or NOT_FOUND: an unattached upload is its uploader's alone. */
  async serve(globalId: string, variant: 'original' | 'thumbnail', viewerId: string | null): Promise<ServedPhoto> {
    let id: string;
    try {
      id = fromGlobalId(globalId, PHOTO_TYPE);
    } catch {
      // A malformed id in a URL is no such photo.
      throw notFound();
    }
    const photo = await this.dataSource.getRepository(PhotoEntity).findOne({ where: { id } });
    if (!photo || (photo.attachedAt === null && photo.ownerId !== viewerId)) throw notFound();
    const file = await this.storage.get(photoKeys(photo.id)[variant]);
    if (!file) throw notFound();
    return { file, etag: `"${photo.id}-${variant}"`, public: photo.attachedAt !== null };
  }
}

const notFound = () => AppError.notFound(msg('photos.thing'));

/** A `photos` row (snake_case, as RETURNING gives it) as the entity's fields. */
function fromRow(row: Record<string, unknown>): Partial<PhotoEntity> {
  return {
    id: row.id as string,
    ownerId: row.owner_id as string,
    contentType: row.content_type as string,
    width: row.width as number,
    height: row.height as number,
    byteSize: row.byte_size as number,
    thumbnailWidth: row.thumbnail_width as number,
    thumbnailHeight: row.thumbnail_height as number,
    uploadedAt: new Date(row.uploaded_at as string),
    attachedAt: row.attached_at ? new Date(row.attached_at as string) : null,
  };
}
