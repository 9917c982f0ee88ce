import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { ResidencyResolver } from './residency.resolver';
import { ResidencyService } from './residency.service';
import { DistrictHostsResolver, UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  imports: [DistrictsModule],
  providers: [AuthService, UsersService, ResidencyService, AuthResolver, UsersResolver, DistrictHostsResolver, ResidencyResolver],
  exports: [AuthService, UsersService, ResidencyService],
})
export class AccountsModule {}
