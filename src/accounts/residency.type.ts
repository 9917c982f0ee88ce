import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { ResidencyEntity, ResidencyStatus } from './entities/residency.entity';

registerEnumType(ResidencyStatus, { name: 'ResidencyStatus' });

@ObjectType('Residency', {
  implements: () => [Node],
  description: "A person's request to be verified as a resident of a district, and its review. Seen by the person, the district's hosts and administrators.",
})
export class Residency implements Node {
  @Field(() => ResidencyStatus)
  status: ResidencyStatus;

  @Field(() => String, { nullable: true, description: 'What the person told the reviewer.' })
  requestNote: string | null;

  @Field(() => String, { nullable: true, description: "The reviewer's note." })
  reviewNote: string | null;

  @Field(() => Date, { nullable: true })
  reviewedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  id: string;
  nodeType = 'Residency';
  residencyId: string;
  userId: string;
  districtCode: string;
  reviewedBy: string | null;

  static from(entity: ResidencyEntity): Residency {
    const residency = new Residency();
    residency.id = toGlobalId('Residency', entity.id);
    residency.residencyId = entity.id;
    residency.userId = entity.userId;
    residency.districtCode = entity.districtCode;
    residency.status = entity.status;
    residency.requestNote = entity.requestNote;
    residency.reviewNote = entity.reviewNote;
    residency.reviewedBy = entity.reviewedBy;
    residency.reviewedAt = entity.reviewedAt;
    residency.createdAt = entity.createdAt;
    return residency;
  }
}

@ObjectType()
export class ResidencyConnection extends Connection(Residency, 'Residency') {}
