import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Node } from '../common/relay/node.interface';
import { PhotoEntity } from './photo.entity';
import { PHOTO_TYPE, photoView } from './photos.service';

@ObjectType(PHOTO_TYPE, {
  implements: () => [Node],
  description: 'A photo as stored: re-encoded as JPEG without any metadata (no EXIF, GPS, device or owner), with a thumbnail. Public once attached to something public; before that, only its uploader sees it.',
})
export class Photo implements Node {
  id: string;
  nodeType = PHOTO_TYPE;

  @Field(() => String, { description: 'Where the photo is served (GET, relative to the server).' })
  url: string;

  @Field(() => String, { description: 'Where its thumbnail (at most 320 pixels wide or high) is served.' })
  thumbnailUrl: string;

  @Field(() => Int)
  width: number;

  @Field(() => Int)
  height: number;

  static from(entity: PhotoEntity): Photo {
    const view = photoView(entity);
    return Object.assign(new Photo(), { id: view.id, url: view.url, thumbnailUrl: view.thumbnailUrl, width: view.width, height: view.height });
  }
}
