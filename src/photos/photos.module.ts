import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PHOTO_STORAGE } from './photo-storage';
import { PhotoPurge } from './photo-purge';
import { PhotosController } from './photos.controller';
import { PhotoNodes } from './photos.resolver';
import { PhotosService } from './photos.service';
import { PostgresPhotoStorage } from './postgres-photo-storage';

/**
 * Photo uploads: received and re-encoded (src/photos/image-encoder.ts), stored behind PhotoStorage
 * (PostgreSQL by default), served, claimed by the mutations that attach them, and purged when unclaimed.
 */
@Module({
  imports: [AccountsModule],
  controllers: [PhotosController],
  providers: [PhotosService, PhotoPurge, PhotoNodes, { provide: PHOTO_STORAGE, useClass: PostgresPhotoStorage }],
  exports: [PhotosService],
})
export class PhotosModule {}
