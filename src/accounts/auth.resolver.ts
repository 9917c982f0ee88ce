import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { AuthService, Session } from './auth.service';
import { LoginInput, LogoutInput, RefreshTokenInput, RegisterInput } from './dto/auth.input';
import { LoginPayload, LogoutPayload, RefreshTokenPayload, RegisterPayload } from './dto/payloads';
import { User } from './user.type';

function toPayload(session: Session): LoginPayload {
  return { ...session, user: User.from(session.user, { forOwner: true }) };
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => RegisterPayload, { description: 'Create an account and sign in.' })
  async register(@Args('input', { type: () => RegisterInput }) input: RegisterInput): Promise<RegisterPayload> {
    return toPayload(await this.auth.register(input));
  }

  @Mutation(() => LoginPayload, { description: 'Sign in with email and password.' })
  async login(@Args('input', { type: () => LoginInput }) input: LoginInput, @Ctx() rc: RequestContext): Promise<LoginPayload> {
    return toPayload(await this.auth.login(input, rc.clientAddress ?? 'unknown'));
  }

  @Mutation(() => RefreshTokenPayload, { description: 'Exchange a refresh token for a new pair. Each refresh token works once.' })
  async refreshToken(@Args('input', { type: () => RefreshTokenInput }) input: RefreshTokenInput): Promise<RefreshTokenPayload> {
    return toPayload(await this.auth.refresh(input.refreshToken));
  }

  @Mutation(() => LogoutPayload, { description: 'End a session: the one of the given refresh token, or else the current one.' })
  async logout(@Args('input', { type: () => LogoutInput }) input: LogoutInput, @Ctx() rc: RequestContext): Promise<LogoutPayload> {
    return { ended: await this.auth.logout(input.refreshToken, rc.viewer) };
  }
}
