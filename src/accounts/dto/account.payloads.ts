import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Session } from '../session.type';
import { User } from '../user.type';

@ObjectType()
export class ChangePasswordPayload {
  @Field(() => User)
  user: User;

  @Field(() => Int, { description: 'How many other sessions were ended; this one goes on.' })
  endedSessions: number;
}

@ObjectType()
export class UpdateProfilePayload {
  @Field(() => User)
  user: User;
}

@ObjectType()
export class EndSessionPayload {
  @Field(() => Session, { description: 'The session as it was when it ended.' })
  session: Session;
}

@ObjectType()
export class RequestPasswordResetPayload {
  @Field(() => Boolean, { description: 'Always true: the answer is the same whether or not an account has this email. If one has, a link is on its way.' })
  accepted: boolean;
}

@ObjectType()
export class ResetPasswordPayload {
  @Field(() => Boolean, { description: 'The password was changed and every session of the account ended: sign in with the new password.' })
  passwordChanged: boolean;
}
