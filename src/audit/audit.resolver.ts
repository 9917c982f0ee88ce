import { OnModuleInit } from '@nestjs/common';
import { Args, Field, ID, InputType, Int, ObjectType, Query, ResolveField, Parent, Resolver, registerEnumType } from '@nestjs/graphql';
import { User } from '../accounts/user.type';
import { UsersService } from '../accounts/users.service';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { Connection, mapConnection, PageArgs } from '../common/pagination/connection';
import { isUuid, parseGlobalId, toGlobalId } from '../common/relay/global-id';
import { NodeRegistry } from '../common/relay/node-registry';
import { Node } from '../common/relay/node.interface';
import { DistrictsService } from '../districts/districts.service';
import { AuditEntryEntity, AuditOutcome } from './audit-entry.entity';
import { AuditService } from './audit.service';

registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

@ObjectType('AuditEntry', { implements: () => [Node], description: 'One state-changing request, as recorded: never a password, a token or a ballot’s choice.' })
export class AuditEntry implements Node {
  id: string;
  nodeType = 'AuditEntry';

  @Field(() => String, { description: 'District code, or "0000" for city-wide actions.' })
  districtCode: string;

  @Field(() => String, { description: 'The mutation.' })
  action: string;

  /** Served by AuditResolver.subject. */
  subject: string | null;

  @Field(() => String, { nullable: true })
  requestId: string | null;

  @Field(() => AuditOutcome)
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true })
  errorCode: string | null;

  @Field(() => Date)
  at: Date;

  @Field(() => Int, { nullable: true, description: 'Its place in the district’s chain (null for a moment after writing).' })
  chainSeq: number | null;

  @Field(() => String, { nullable: true })
  prevHash: string | null;

  @Field(() => String, { nullable: true })
  hash: string | null;

  actorId: string | null;

  static from(e: AuditEntryEntity): AuditEntry {
    return Object.assign(new AuditEntry(), {
      id: toGlobalId('AuditEntry', e.id),
      districtCode: e.districtCode,
      action: e.action,
      subject: e.subject,
      requestId: e.requestId,
      outcome: e.outcome,
      errorCode: e.errorCode,
      at: e.createdAt,
      chainSeq: e.chainSeq,
      prevHash: e.prevHash,
      hash: e.hash,
      actorId: e.actorId,
    });
  }
}

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry, 'AuditEntry') {}

@ObjectType('AuditChainCheck')
export class AuditChainCheck {
  @Field(() => Boolean)
  valid: boolean;

  @Field(() => Int)
  checked: number;

  @Field(() => Int, { nullable: true, description: 'The first entry whose hash does not match: tampering from there on.' })
  firstBrokenSeq: number | null;

  @Field(() => Int, { description: 'Entries written but not chained yet (chaining runs every second).' })
  pending: number;
}

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true })
  districtCode?: string | null;

  @Field(() => String, { nullable: true })
  action?: string | null;

  @Field(() => ID, { nullable: true })
  actorId?: string | null;
}

/** verifyAuditChain reads the whole chain, however long, for anyone: its share of an operation's cost (measureOperation, at most 25,000), so one operation runs it at most twice. */
export const VERIFY_CHAIN_COST = 10_000;

/** An audit entry's database id: its place in the whole trail. */
const ENTRY_NUMBER = /^[1-9]\d{0,17}$/;

@Resolver(() => AuditEntry)
export class AuditResolver implements OnModuleInit {
  constructor(
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    // As auditLog shows it: to the hosts of its district and to administrators.
    this.nodes.register('AuditEntry', async (id, rc) => {
      const entry = await this.audit.find(id);
      return entry && rc.isHostOf(entry.districtCode) ? AuditEntry.from(entry) : null;
    }, ENTRY_NUMBER);
  }

  @Query(() => AuditEntryConnection, { description: 'The audit trail, newest first: hosts see their districts, administrators everything.' })
  async auditLog(@Args('filter', { type: () => AuditFilter, nullable: true }) filter: AuditFilter | null, @Args() page: PageArgs, @Ctx() rc: RequestContext): Promise<AuditEntryConnection> {
    if (filter?.districtCode && filter.districtCode !== '0000') await this.districts.require(filter.districtCode, 'filter.districtCode');
    return mapConnection(await this.audit.list(rc, filter ?? {}, page), AuditEntry.from);
  }

  @Query(() => AuditChainCheck, { complexity: VERIFY_CHAIN_COST, description: 'Recomputes a district’s audit chain ("0000": the city-wide one) and says whether it is intact. Counts as 10,000 objects in the query cost.' })
  async verifyAuditChain(@Args('districtCode', { type: () => String }) districtCode: string): Promise<AuditChainCheck> {
    if (districtCode !== '0000') await this.districts.require(districtCode);
    return this.audit.verify(districtCode);
  }

  @ResolveField(() => String, { nullable: true, description: 'The global id of what it acted on; an erased account is shown under its pseudonym.' })
  async subject(@Parent() entry: AuditEntry, @Ctx() rc: RequestContext): Promise<string | null> {
    // The chain hashes the id as written; an erased account's former id is swapped for its pseudonym as it is read.
    const target = entry.subject ? parseGlobalId(entry.subject) : null;
    if (!target || target.type !== 'User' || !isUuid(target.id)) return entry.subject;
    const user = await rc.loader(this.users.userById).load(target.id);
    return user ? User.from(user).id : entry.subject;
  }

  @ResolveField(() => User, { nullable: true, description: 'Who did it; null for the system and for ballots. An erased account: "deleted account" under its pseudonym.' })
  async actor(@Parent() entry: AuditEntry, @Ctx() rc: RequestContext): Promise<User | null> {
    const user = entry.actorId ? await rc.loader(this.users.userById).load(entry.actorId) : null;
    return user ? User.from(user) : null;
  }
}

