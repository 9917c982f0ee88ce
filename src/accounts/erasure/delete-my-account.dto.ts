import { Extensions, Field, InputType, ObjectType } from '@nestjs/graphql';
import { ANY_TEXT } from '../../common/graphql/storable-text';
import { User } from '../user.type';

@InputType()
export class DeleteMyAccountInput {
  // Checked against the hash, never stored: any password that could be set can be typed.
  @Extensions(ANY_TEXT)
  @Field(() => String, { description: 'The account’s current password.' })
  password: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Remove your comments too (they show as deleted, replies stay). Otherwise they stay, signed "deleted account".',
  })
  removeComments: boolean;
}

@ObjectType({ description: 'The account is erased: every session has ended, and its tokens no longer work.' })
export class DeleteMyAccountPayload {
  @Field(() => Boolean)
  deleted: boolean;

  @Field(() => User, { description: 'The account as it is shown from now on: "deleted account", under a random pseudonym id.' })
  user: User;
}
