import { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { mapConnection, PageArgs } from '../common/pagination/connection';
import { fromGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { IssueOpen311KeyInput, IssueOpen311KeyPayload, Open311Key, Open311KeyConnection, OPEN311_KEY_TYPE, RevokeOpen311KeyInput, RevokeOpen311KeyPayload } from './open311-key.type';
import { Open311KeysService } from './open311-keys.service';

@Resolver(() => Open311Key)
export class Open311KeysResolver implements OnModuleInit {
  constructor(
    private readonly keys: Open311KeysService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register(OPEN311_KEY_TYPE, async (id, rc) => {
      const key = await this.keys.find(rc, id);
      return key ? Open311Key.from(key) : null;
    });
  }

  @Query(() => Open311KeyConnection, { description: 'The Open311 keys, newest first, revoked ones included: administrators only.' })
  async open311Keys(@Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<Open311KeyConnection> {
    return mapConnection(await this.keys.list(rc, page), Open311Key.from);
  }

  @Mutation(() => IssueOpen311KeyPayload, { description: 'A key for a client application to file reports through Open311 (administrators). The key is answered this once.' })
  async issueOpen311Key(@Args('input', { type: () => IssueOpen311KeyInput }) input: IssueOpen311KeyInput, @Ctx() rc: RequestContext): Promise<IssueOpen311KeyPayload> {
    const { key, apiKey } = await this.keys.issue(rc, input);
    return { key: Open311Key.from(key), apiKey };
  }

  @Mutation(() => RevokeOpen311KeyPayload, { description: 'Revokes a key (administrators): refused by the endpoint from then on. Revoking twice changes nothing.' })
  async revokeOpen311Key(@Args('input', { type: () => RevokeOpen311KeyInput }) input: RevokeOpen311KeyInput, @Ctx() rc: RequestContext): Promise<RevokeOpen311KeyPayload> {
    return { key: Open311Key.from(await this.keys.revoke(rc, fromGlobalId(input.open311KeyId, OPEN311_KEY_TYPE, 'input.open311KeyId'))) };
  }
}
