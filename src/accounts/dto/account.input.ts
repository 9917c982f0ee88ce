import { Extensions, Field, ID, InputType } from '@nestjs/graphql';
import { ANY_TEXT } from '../../common/graphql/storable-text';
import { Locale } from '../entities/user.entity';

@InputType()
export class ChangePasswordInput {
  @Extensions(ANY_TEXT)
  @Field(() => String)
  currentPassword: string;

  @Extensions(ANY_TEXT)
  @Field(() => String, { description: 'The same rules as at registration.' })
  newPassword: string;
}

@InputType({ description: 'What to receive by email; a field left out stays as it is.' })
export class EmailPreferencesInput {
  @Field(() => Boolean, { nullable: true })
  residencyDecisions?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  hearingReminders?: boolean | null;
}

@InputType({ description: 'A field left out (or null) stays as it is.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => Locale, { nullable: true })
  locale?: Locale | null;

  @Field(() => EmailPreferencesInput, { nullable: true })
  emailPreferences?: EmailPreferencesInput | null;
}

@InputType()
export class EndSessionInput {
  @Field(() => ID, { description: 'One of your sessions (mySessions).' })
  sessionId: string;
}

@InputType()
export class RequestPasswordResetInput {
  @Field(() => String)
  email: string;
}

@InputType()
export class ResetPasswordInput {
  @Field(() => String, { description: 'The token of the link in the mail.' })
  token: string;

  @Extensions(ANY_TEXT)
  @Field(() => String, { description: 'The same rules as at registration.' })
  newPassword: string;
}
