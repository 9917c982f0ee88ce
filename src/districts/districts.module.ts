import { Module } from '@nestjs/common';
import { DistrictsResolver } from './districts.resolver';
import { DistrictsService } from './districts.service';

@Module({
  providers: [DistrictsService, DistrictsResolver],
  exports: [DistrictsService],
})
export class DistrictsModule {}
