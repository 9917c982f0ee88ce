import type { EntityManager } from 'typeorm';

/** A stored file: its bytes and their type. */
export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

/**
 * Where the bytes of photos live, by key. PostgresPhotoStorage is the default (the embedded start needs
 * nothing else); an S3-compatible store implements the same three methods (README, Photos: storage).
 * `em`, when given, is the transaction of the change the files belong to: a store in the database
 * writes in it, so that a rolled-back upload leaves no file; a store elsewhere may ignore it.
 */
export interface PhotoStorage {
  put(key: string, file: StoredFile, em?: EntityManager): Promise<void>;
  get(key: string): Promise<StoredFile | null>;
  delete(keys: readonly string[], em?: EntityManager): Promise<void>;
}

/** The Nest token of the PhotoStorage in use. */
export const PHOTO_STORAGE = Symbol('PHOTO_STORAGE');

/** The keys of a photo's two files: the re-encoded image and its thumbnail. */
export function photoKeys(photoId: string): { original: string; thumbnail: string } {
  return { original: `photos/${photoId}`, thumbnail: `photos/${photoId}/thumbnail` };
}
