import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NodeRegistry } from '../common/relay/node-registry';
import { PhotoEntity } from './photo.entity';
import { Photo } from './photo.type';
import { PHOTO_TYPE } from './photos.service';

/** `node(id:)` for photos: an attached photo is public, an unattached one its uploader's alone (as GET /photos/<id>). */
@Injectable()
export class PhotoNodes implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register(PHOTO_TYPE, async (id, rc) => {
      const photo = await this.dataSource.getRepository(PhotoEntity).findOneBy({ id });
      return photo && (photo.attachedAt !== null || photo.ownerId === rc.viewer?.id) ? Photo.from(photo) : null;
    });
  }
}
