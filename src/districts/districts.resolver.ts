import { OnModuleInit } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { NodeRegistry } from '../common/relay/node-registry';
import { District } from './district.type';
import { DistrictsService } from './districts.service';

/** A district's id is its official four-digit code. */
const DISTRICT_CODE = /^\d{4}$/;

@Resolver(() => District)
export class DistrictsResolver implements OnModuleInit {
  constructor(
    private readonly service: DistrictsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('District', async (code) => {
      const entity = await this.service.find(code);
      return entity ? District.from(entity) : null;
    }, DISTRICT_CODE);
  }

  @Query(() => [District], { description: 'All 50 districts, by code.' })
  async districts(): Promise<District[]> {
    return (await this.service.list()).map(District.from);
  }

  @Query(() => District, { nullable: true, description: 'A district by its official code; null when there is none.' })
  async district(@Args('code', { type: () => String }) code: string): Promise<District | null> {
    const entity = await this.service.find(code.trim());
    return entity ? District.from(entity) : null;
  }
}
