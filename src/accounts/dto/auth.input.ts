import { Extensions, Field, InputType } from '@nestjs/graphql';
import { ANY_TEXT } from '../../common/graphql/storable-text';
import { AccountKind, Locale } from '../entities/user.entity';

@InputType()
export class RegisterInput {
  @Field(() => String)
  email: string;

  // Hashed, never stored as text: any password that could be set can be typed.
  @Extensions(ANY_TEXT)
  @Field(() => String, { description: 'At least 10 characters, not a common password, not containing your email or name.' })
  password: string;

  @Field(() => String)
  displayName: string;

  @Field(() => AccountKind)
  kind: AccountKind;

  @Field(() => Locale, { nullable: true, defaultValue: Locale.th })
  locale?: Locale | null;

  @Field(() => String, {
    nullable: true,
    description: 'The version of the terms and privacy notice shown to the person (`currentTerms.version`); registering accepts it. Omitted: the version in force is recorded as accepted.',
  })
  acceptedTermsVersion?: string | null;
}

@InputType()
export class LoginInput {
  @Field(() => String)
  email: string;

  @Extensions(ANY_TEXT)
  @Field(() => String)
  password: string;
}

@InputType()
export class RefreshTokenInput {
  @Field(() => String, { description: 'The refresh token of the session, used once.' })
  refreshToken: string;
}

@InputType()
export class LogoutInput {
  @Field(() => String, { nullable: true, description: 'The session to end; the current one when omitted.' })
  refreshToken?: string | null;
}
