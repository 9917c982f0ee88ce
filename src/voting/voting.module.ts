import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { FollowingModule } from '../following/following.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { OpenDataController } from './open-data.controller';
import { VotingLiveService } from './voting-live.service';
import { VOTING_RESOLVERS } from './voting.resolver';
import { BallotBox } from './ballot-box.service';
import { BallotRecord } from './ballot-record.service';
import { LiveTallies } from './live-tallies.service';
import { VoteCounter } from './vote-counter.service';
import { VotingClock } from './voting-clock.service';
import { VotingLoaders } from './voting-loaders';
import { VotingRoundsService } from './voting-rounds.service';

@Module({
  imports: [AccountsModule, DistrictsModule, ProposalsModule, FollowingModule],
  providers: [VotingLoaders, VotingRoundsService, BallotBox, VoteCounter, LiveTallies, BallotRecord, VotingClock, VotingLiveService, ...VOTING_RESOLVERS],
  controllers: [OpenDataController],
  exports: [VotingRoundsService],
})
export class VotingModule {}
