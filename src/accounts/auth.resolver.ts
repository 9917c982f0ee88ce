import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { AuthService, Session } from './auth.service';
import { LoginInput, RegisterInput } from './dto/auth.input';
import { AuthPayload, User } from './user.type';

function toPayload(session: Session): AuthPayload {
  return { ...session, user: User.from(session.user, { forOwner: true }) };
}

@Resolver(() => AuthPayload)
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayload, { description: 'Create an account and sign in.' })
  async register(@Args('input', { type: () => RegisterInput }) input: RegisterInput): Promise<AuthPayload> {
    return toPayload(await this.auth.register(input));
  }

  @Mutation(() => AuthPayload, { description: 'Sign in with email and password.' })
  async login(@Args('input', { type: () => LoginInput }) input: LoginInput, @Ctx() rc: RequestContext): Promise<AuthPayload> {
    return toPayload(await this.auth.login(input, rc.clientAddress ?? 'unknown'));
  }

  @Mutation(() => AuthPayload, { description: 'Exchange a refresh token for a new pair. Each refresh token works once.' })
  async refreshToken(@Args('token', { type: () => String }) token: string): Promise<AuthPayload> {
    return toPayload(await this.auth.refresh(token));
  }

  @Mutation(() => Boolean, { description: 'End a session: the one of the given refresh token, or else the current one. True when a session was ended.' })
  logout(@Args('refreshToken', { type: () => String, nullable: true }) refreshToken: string | null, @Ctx() rc: RequestContext): Promise<boolean> {
    return this.auth.logout(refreshToken, rc.viewer);
  }
}
