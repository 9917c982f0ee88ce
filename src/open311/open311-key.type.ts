import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { Open311KeyEntity } from './open311-key.entity';

export const OPEN311_KEY_TYPE = 'Open311Key';

@ObjectType(OPEN311_KEY_TYPE, { implements: () => [Node], description: 'A key a client application files reports with through Open311 (/open311/v2/). Administrators only.' })
export class Open311Key implements Node {
  id: string;
  nodeType = OPEN311_KEY_TYPE;

  @Field(() => String, { description: 'What the application is called.' })
  name: string;

  @Field(() => String, { description: 'Who answers for the application.' })
  contact: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Set once revoked: the key is refused from then on.' })
  revokedAt: Date | null;

  static from(entity: Open311KeyEntity): Open311Key {
    return Object.assign(new Open311Key(), { id: toGlobalId(OPEN311_KEY_TYPE, entity.id), name: entity.name, contact: entity.contact, createdAt: entity.createdAt, revokedAt: entity.revokedAt });
  }
}

@ObjectType()
export class Open311KeyConnection extends Connection(Open311Key, OPEN311_KEY_TYPE) {}

@InputType()
export class IssueOpen311KeyInput {
  @Field(() => String, { description: 'What the application is called (2 to 100 characters).' })
  name: string;

  @Field(() => String, { description: 'Who answers for it: an address or a phone number of its maintainers (3 to 200 characters).' })
  contact: string;
}

@ObjectType()
export class IssueOpen311KeyPayload {
  @Field(() => Open311Key)
  key: Open311Key;

  @Field(() => String, { description: 'The key itself, the `api_key` of POST /open311/v2/requests.json. Shown this once: only its hash is kept.' })
  apiKey: string;
}

@InputType()
export class RevokeOpen311KeyInput {
  @Field(() => ID)
  open311KeyId: string;
}

@ObjectType()
export class RevokeOpen311KeyPayload {
  @Field(() => Open311Key)
  key: Open311Key;
}
