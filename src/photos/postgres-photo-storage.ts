import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { PhotoBlobEntity } from './photo.entity';
import { PhotoStorage, StoredFile } from './photo-storage';

/** Photos' files as bytea rows of `photo_blobs`, written in the transaction of the change they belong to. */
@Injectable()
export class PostgresPhotoStorage implements PhotoStorage {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async put(key: string, file: StoredFile, em: EntityManager = this.dataSource.manager): Promise<void> {
    await em.getRepository(PhotoBlobEntity).insert({ key, contentType: file.contentType, bytes: file.bytes, storedAt: this.clock.now() });
  }

  async get(key: string): Promise<StoredFile | null> {
    const row = await this.dataSource.getRepository(PhotoBlobEntity).findOne({ where: { key } });
    return row ? { bytes: row.bytes, contentType: row.contentType } : null;
  }

  async delete(keys: readonly string[], em: EntityManager = this.dataSource.manager): Promise<void> {
    if (keys.length === 0) return;
    await em.getRepository(PhotoBlobEntity).delete({ key: In([...keys]) });
  }
}
