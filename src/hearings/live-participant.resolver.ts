import { ResolveField, Resolver } from '@nestjs/graphql';
import { deletedAccountName } from '../accounts/erasure/deleted-account';
import { GraphQLContext } from '../common/context/request-context';
import { LiveParticipantType } from './hearing.type';

/** A name on the hall's screen: an erased account's in each reader's language, as the live state is shared. */
@Resolver(() => LiveParticipantType)
export class LiveParticipantResolver {
  // Once per item of a list: no parameter decorators, so Nest calls it directly (see ProposalsResolver.author).
  @ResolveField(() => String)
  displayName(participant: LiveParticipantType, _args: unknown, { rc }: GraphQLContext): string {
    return participant.erased ? deletedAccountName(rc.locale) : participant.displayName;
  }
}
