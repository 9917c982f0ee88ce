import { Global, Module } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { Clock } from './clock/clock';
import { NodeRegistry } from './relay/node-registry';
import { NodeResolver } from './relay/node.resolver';

/** The plumbing every capability uses: the clock, transactions, and the Relay node registry. */
@Global()
@Module({
  providers: [Clock, UnitOfWork, NodeRegistry, NodeResolver],
  exports: [Clock, UnitOfWork, NodeRegistry],
})
export class CommonModule {}
