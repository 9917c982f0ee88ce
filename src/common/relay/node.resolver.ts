import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Ctx } from '../context/current-context.decorator';
import { RequestContext } from '../context/request-context';
import { NodeRegistry } from './node-registry';
import { Node } from './node.interface';

@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or is not visible to you; BAD_USER_INPUT when the id is not a node\'s.' })
  node(@Args('id', { type: () => ID }) id: string, @Ctx() rc: RequestContext): Promise<Node | null> {
    return this.registry.fetch(id, rc);
  }
}
