import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx } from '../../common/context/current-context.decorator';
import { RequestContext } from '../../common/context/request-context';
import { User } from '../user.type';
import { AccountErasureService } from './account-erasure.service';
import { DeleteMyAccountInput, DeleteMyAccountPayload } from './delete-my-account.dto';

@Resolver()
export class AccountErasureResolver {
  constructor(private readonly erasure: AccountErasureService) {}

  @Mutation(() => DeleteMyAccountPayload, {
    description:
      'Erase your account (PDPA): your personal data goes and every session ends. Published proposals, hearing statements and questions stay, signed "deleted account"; ballots stay counted. A host or the last administrator hands over first (HANDOVER_REQUIRED).',
  })
  async deleteMyAccount(@Args('input', { type: () => DeleteMyAccountInput }) input: DeleteMyAccountInput, @Ctx() rc: RequestContext): Promise<DeleteMyAccountPayload> {
    const tombstone = await this.erasure.deleteMyAccount(rc, input.password, input.removeComments ?? false);
    return { deleted: true, user: User.from(tombstone) };
  }
}
