import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { AccountKind, Locale, UserEntity } from './entities/user.entity';

registerEnumType(AccountKind, { name: 'AccountKind', description: 'A person (may become a verified resident and vote) or an organisation (may propose and endorse, never vote).' });
registerEnumType(Locale, { name: 'Locale', description: 'Preferred language: th or en.' });

@ObjectType('User', { implements: () => [Node], description: 'An account: a person or an organisation. Email and locale are shown only to the account itself and to administrators.' })
export class User implements Node {
  /** Served by UsersResolver.displayName, in the reader's language for an erased account. */
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
  /** Private fields, served only to the account itself and administrators; none once erased. */
  privateEmail: string | null;
  privateLocale: Locale | null;
  privateEmailPreferences: { residencyDecisions: boolean; hearingReminders: boolean } | null;
  /** An erased account: shown as "deleted account" under its pseudonym. */
  erased = false;
  /** Built for the account's owner (the payload of their own sign-in), whose request carries no token yet. */
  forOwner = false;

  static from(entity: UserEntity, options: { forOwner?: boolean } = {}): User {
    if (entity.deletedAt) return User.erased(entity);
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

  /** An erased account as everyone sees it: its pseudonym for an id, nothing personal. */
  private static erased(entity: UserEntity): User {
    const user = new User();
    user.id = toGlobalId('User', entity.pseudonym!);
    user.userId = entity.id;
    user.displayName = '';
    user.kind = entity.kind;
    user.isAdmin = false;
    user.createdAt = entity.createdAt;
    user.privateEmail = null;
    user.privateLocale = null;
    user.erased = true;
    return user;
  }
}

@ObjectType()
export class UserConnection extends Connection(User, 'User') {}
