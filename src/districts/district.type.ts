import { Field, ObjectType } from '@nestjs/graphql';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { DistrictEntity } from './district.entity';

@ObjectType('District', { implements: () => [Node], description: 'One of the 50 districts (เขต) of Bangkok: the scope of every plan, hearing and vote.' })
export class District implements Node {
  @Field(() => String, { description: 'The official district code, e.g. "1001".' })
  code: string;

  @Field(() => String, { description: 'Name in Thai.' })
  nameTh: string;

  @Field(() => String, { description: 'Name in English.' })
  nameEn: string;

  id: string;
  nodeType = 'District';

  static from(entity: DistrictEntity): District {
    const district = new District();
    district.id = toGlobalId('District', entity.code);
    district.code = entity.code;
    district.nameTh = entity.nameTh;
    district.nameEn = entity.nameEn;
    return district;
  }
}
