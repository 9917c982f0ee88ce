import { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { fromGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { AccountService } from './account.service';
import { ChangePasswordInput, EndSessionInput, RequestPasswordResetInput, ResetPasswordInput, UpdateProfileInput } from './dto/account.input';
import { ChangePasswordPayload, EndSessionPayload, RequestPasswordResetPayload, ResetPasswordPayload, UpdateProfilePayload } from './dto/account.payloads';
import { PasswordResetService } from './password-reset.service';
import { EmailPreferences, Session } from './session.type';
import { User } from './user.type';
import { UsersService } from './users.service';

@Resolver(() => User)
export class AccountResolver implements OnModuleInit {
  constructor(
    private readonly accounts: AccountService,
    private readonly resets: PasswordResetService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Session', async (id, rc) => {
      const session = await this.accounts.findOwnSession(rc, id);
      return session ? Session.from(session) : null;
    });
  }

  @Query(() => [Session], { description: 'Your sessions that can still be used, most recently used first (signed in only).' })
  async mySessions(@Ctx() rc: RequestContext): Promise<Session[]> {
    return (await this.accounts.mySessions(rc)).map(Session.from);
  }

  @Mutation(() => ChangePasswordPayload, { description: 'Change your password (the current one is required); every other session ends.' })
  async changePassword(@Args('input', { type: () => ChangePasswordInput }) input: ChangePasswordInput, @Ctx() rc: RequestContext): Promise<ChangePasswordPayload> {
    const { user, endedSessions } = await this.accounts.changePassword(rc, input);
    return { user: User.from(user, { forOwner: true }), endedSessions };
  }

  @Mutation(() => UpdateProfilePayload, { description: 'Change your display name, language or email preferences.' })
  async updateProfile(@Args('input', { type: () => UpdateProfileInput }) input: UpdateProfileInput, @Ctx() rc: RequestContext): Promise<UpdateProfilePayload> {
    return { user: User.from(await this.accounts.updateProfile(rc, input), { forOwner: true }) };
  }

  @Mutation(() => EndSessionPayload, { description: 'End one of your sessions (sign a device out). Anyone else’s session is NOT_FOUND.' })
  async endSession(@Args('input', { type: () => EndSessionInput }) input: EndSessionInput, @Ctx() rc: RequestContext): Promise<EndSessionPayload> {
    const sessionId = fromGlobalId(input.sessionId, 'Session', 'input.sessionId');
    return { session: Session.from(await this.accounts.endSession(rc, sessionId)) };
  }

  @Mutation(() => RequestPasswordResetPayload, { description: 'Mail a one-time link (valid 30 minutes) to reset the password of the account with this email, if there is one. The answer is the same either way.' })
  async requestPasswordReset(
    @Args('input', { type: () => RequestPasswordResetInput }) input: RequestPasswordResetInput,
    @Ctx() rc: RequestContext,
  ): Promise<RequestPasswordResetPayload> {
    await this.resets.requestReset(input, rc.clientAddress ?? 'unknown');
    return { accepted: true };
  }

  @Mutation(() => ResetPasswordPayload, { description: 'Set a new password with the token of a reset link; every session of the account ends.' })
  async resetPassword(@Args('input', { type: () => ResetPasswordInput }) input: ResetPasswordInput): Promise<ResetPasswordPayload> {
    await this.resets.reset(input);
    return { passwordChanged: true };
  }

  @ResolveField(() => EmailPreferences, { nullable: true, description: 'Only for the account itself and administrators.' })
  emailPreferences(@Parent() user: User, @Ctx() rc: RequestContext): EmailPreferences | null {
    return user.forOwner || UsersService.canSeePrivate(rc, user.userId) ? user.privateEmailPreferences : null;
  }
}
