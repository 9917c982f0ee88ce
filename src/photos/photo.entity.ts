import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';

/**
 * An uploaded photo, re-encoded: what is known of it, not its bytes (those are in the PhotoStorage under
 * photoKeys(id)). It belongs to its uploader and is unattached until a mutation claims it
 * (PhotosService.claim); an upload never claimed is purged a day later (PhotoPurge).
 */
@Entity({ name: 'photos' })
@Index('IDX_photos_owner', ['ownerId', 'uploadedAt'])
@Index('IDX_photos_uploaded', ['uploadedAt'])
export class PhotoEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  /** The stored image's type (always our own encoding, never the uploaded one). */
  @Column({ name: 'content_type', type: 'varchar', length: 30 })
  contentType: string;

  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ name: 'byte_size', type: 'int' })
  byteSize: number;

  @Column({ name: 'thumbnail_width', type: 'int' })
  thumbnailWidth: number;

  @Column({ name: 'thumbnail_height', type: 'int' })
  thumbnailHeight: number;

  @Column({ name: 'uploaded_at', type: 'timestamptz', precision: 3 })
  uploadedAt: Date;

  /** When a mutation claimed it (a report's photo); null while it is only an upload. */
  @Column({ name: 'attached_at', type: 'timestamptz', precision: 3, nullable: true })
  attachedAt: Date | null;
}

/** The bytes of one stored file, for PostgresPhotoStorage: the default store, so the embedded start needs nothing else. */
@Entity({ name: 'photo_blobs' })
export class PhotoBlobEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @Column({ name: 'content_type', type: 'varchar', length: 30 })
  contentType: string;

  @Column({ type: 'bytea' })
  bytes: Buffer;

  @Column({ name: 'stored_at', type: 'timestamptz', precision: 3 })
  storedAt: Date;
}
