import { Field, ObjectType } from '@nestjs/graphql';
import { Residency } from '../residency.type';
import { User } from '../user.type';

/** What register, login and refreshToken answer alike: a signed-in session. */
@ObjectType({ isAbstract: true })
abstract class SessionPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>`.' })
  accessToken: string;

  @Field(() => Date)
  accessTokenExpiresAt: Date;

  @Field(() => String, { description: 'Use once with `refreshToken` to get a new pair; reusing it ends the session.' })
  refreshToken: string;

  @Field(() => Date)
  refreshTokenExpiresAt: Date;

  @Field(() => User)
  user: User;
}

@ObjectType({ description: 'A new account, signed in: a short-lived access token and a rotating refresh token.' })
export class RegisterPayload extends SessionPayload {}

@ObjectType({ description: 'A signed-in session: a short-lived access token and a rotating refresh token.' })
export class LoginPayload extends SessionPayload {}

@ObjectType({ description: 'The same session with a new pair of tokens.' })
export class RefreshTokenPayload extends SessionPayload {}

@ObjectType()
export class LogoutPayload {
  @Field(() => Boolean, { description: 'True when a session was ended.' })
  ended: boolean;
}

@ObjectType()
export class RequestResidencyPayload {
  @Field(() => Residency)
  residency: Residency;
}

@ObjectType()
export class ReviewResidencyPayload {
  @Field(() => Residency)
  residency: Residency;
}

@ObjectType()
export class AppointHostPayload {
  @Field(() => User)
  user: User;
}

@ObjectType()
export class RemoveHostPayload {
  @Field(() => User)
  user: User;
}
