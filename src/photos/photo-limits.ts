/** What an upload may be (README, Photos). */
export const PHOTO_LIMITS = {
  /** Bytes of an uploaded file; counted while the body is read, which stops beyond it. */
  maxBytes: 8 * 1024 * 1024,
  /** Pixels (width × height) of an uploaded image, checked in its header before anything is decoded: a phone's 48-megapixel photo passes, a decompression bomb does not. */
  maxPixels: 50_000_000,
  /** The longest edge of the stored image: larger photos are scaled down (a report needs no more). */
  storedEdge: 2560,
  /** The longest edge of the thumbnail. */
  thumbnailEdge: 320,
  /** Uploads an account may hold unattached at once (each is purged a day after upload unless claimed). */
  maxUnattachedPerOwner: 30,
} as const;

/** Unattached uploads are purged this long after they were uploaded. */
export const UNATTACHED_PHOTO_TTL_MS = 24 * 3_600_000;
