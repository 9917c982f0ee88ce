import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { OpenDataController } from './open-data.controller';
import { VotingLiveService } from './voting-live.service';
import { VOTING_RESOLVERS } from './voting.resolver';
import { VotingService } from './voting.service';

@Module({
  imports: [DistrictsModule, ProposalsModule],
  providers: [VotingService, VotingLiveService, ...VOTING_RESOLVERS],
  controllers: [OpenDataController],
  exports: [VotingService],
})
export class VotingModule {}
