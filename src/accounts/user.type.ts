import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { AccountKind, Locale, UserEntity } from './entities/user.entity';

registerEnumType(AccountKind, { name: 'AccountKind', description: 'A person (may become a verified resident and vote) or an organisation (may propose and endorse, never vote).' });
registerEnumType(Locale, { name: 'Locale', description: 'Preferred language: th or en.' });

@ObjectType('User', { implements: () => [Node], description: 'An account: a person or an organisation. Email and locale are shown only to the account itself and to administrators.' })
export class User implements Node {
  @Field(() => String)
  displayName: string;

  @Field(() => AccountKind)
  kind: AccountKind;

  @Field(() => Boolean, { description: 'A city administrator.' })
  isAdmin: boolean;

  @Field(() => Date)
  createdAt: Date;

  id: string;
  nodeType = 'User';
  /** Database id, for field resolvers. */
  userId: string;
  /** Private fields, served only to the account itself and administrators. */
  privateEmail: string;
  privateLocale: Locale;
  privateEmailPreferences: { residencyDecisions: boolean; hearingReminders: boolean };
  /** Built for the account's owner (the payload of their own sign-in), whose request carries no token yet. */
  forOwner = false;

  static from(entity: UserEntity, options: { forOwner?: boolean } = {}): User {
    const user = new User();
    user.id = toGlobalId('User', entity.id);
    user.userId = entity.id;
    user.displayName = entity.displayName;
    user.kind = entity.kind;
    user.isAdmin = entity.isAdmin;
    user.createdAt = entity.createdAt;
    user.privateEmail = entity.email;
    user.privateLocale = entity.locale;
    user.privateEmailPreferences = { residencyDecisions: entity.emailResidencyDecisions, hearingReminders: entity.emailHearingReminders };
    user.forOwner = options.forOwner ?? false;
    return user;
  }
}

@ObjectType()
export class UserConnection extends Connection(User, 'User') {}
