import { Field, ObjectType } from '@nestjs/graphql';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { SessionRecord } from './account.service';

@ObjectType('Session', { implements: () => [Node], description: 'One of your sign-in sessions (a device or browser), seen only by you.' })
export class Session implements Node {
  id: string;
  nodeType = 'Session';

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { description: 'When its refresh token was last exchanged; its creation if never.' })
  lastUsedAt: Date;

  @Field(() => Date, { description: 'When it ends unless refreshed.' })
  expiresAt: Date;

  @Field(() => Boolean, { description: 'The session of this request.' })
  current: boolean;

  static from(record: SessionRecord): Session {
    const session = new Session();
    session.id = toGlobalId('Session', record.id);
    session.createdAt = record.createdAt;
    session.lastUsedAt = record.lastUsedAt;
    session.expiresAt = record.expiresAt;
    session.current = record.current;
    return session;
  }
}

@ObjectType({ description: 'What the account receives by email.' })
export class EmailPreferences {
  @Field(() => Boolean, { description: 'The decision on a residency request.' })
  residencyDecisions: boolean;

  @Field(() => Boolean, { description: 'A reminder the day before a hearing one registered for.' })
  hearingReminders: boolean;
}
