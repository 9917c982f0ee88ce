import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { ConsentService } from './consent.service';
import { AcceptTermsInput, PublishTermsInput } from './dto/privacy.input';
import { AcceptTermsPayload, PublishTermsPayload, TermsAcceptance, TermsVersion } from './privacy.type';

@Resolver(() => TermsVersion)
export class ConsentResolver {
  constructor(
    private readonly consent: ConsentService,
    private readonly users: UsersService,
  ) {}

  @Query(() => TermsVersion, { nullable: true, description: 'The terms of use and privacy notice in force; null before any is published.' })
  async currentTerms(): Promise<TermsVersion | null> {
    const current = await this.consent.current();
    return current ? TermsVersion.from(current) : null;
  }

  @Mutation(() => PublishTermsPayload, { description: 'Administrators only: publish a new version of the terms; every account is then asked to accept it (acceptTerms).' })
  async publishTerms(@Args('input', { type: () => PublishTermsInput }) input: PublishTermsInput, @Ctx() rc: RequestContext): Promise<PublishTermsPayload> {
    return { terms: TermsVersion.from(await this.consent.publishTerms(rc, input)) };
  }

  @Mutation(() => AcceptTermsPayload, { description: 'Accept the terms in force. Until then an account that registered under older terms may read but not change anything (TERMS_NOT_ACCEPTED).' })
  async acceptTerms(@Args('input', { type: () => AcceptTermsInput }) input: AcceptTermsInput, @Ctx() rc: RequestContext): Promise<AcceptTermsPayload> {
    return { acceptance: TermsAcceptance.from(await this.consent.acceptTerms(rc, input.version)) };
  }

  @ResolveField(() => User, { nullable: true, description: 'The administrator who published it.' })
  async publishedBy(@Parent() terms: TermsVersion, @Ctx() rc: RequestContext): Promise<User | null> {
    const user = terms.publishedBy ? await rc.loader(this.users.userById).load(terms.publishedBy) : null;
    return user ? User.from(user) : null;
  }
}

/** The record of consent, on the account itself: only its owner sees it. */
@Resolver(() => User)
export class UserConsentResolver {
  constructor(private readonly consent: ConsentService) {}

  @ResolveField(() => Boolean, { nullable: true, description: 'Whether the account must accept the terms in force before changing anything; only for the account itself.' })
  mustAcceptTerms(@Parent() user: User, @Ctx() rc: RequestContext): boolean | null {
    return rc.viewer?.id === user.userId ? rc.viewer.mustAcceptTerms : null;
  }

  @ResolveField(() => [TermsAcceptance], { nullable: true, description: 'Every version of the terms the account accepted, oldest first; only for the account itself.' })
  async termsAcceptances(@Parent() user: User, @Ctx() rc: RequestContext): Promise<TermsAcceptance[] | null> {
    if (rc.viewer?.id !== user.userId) return null;
    return (await this.consent.acceptancesOf(user.userId)).map(TermsAcceptance.from);
  }
}
