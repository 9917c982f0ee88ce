import { OnModuleInit } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { NodeRegistry } from '../common/relay/node-registry';
import { DataExportService } from './data-export.service';
import { ExportMyDataInput } from './dto/privacy.input';
import { DataExport, ExportMyDataPayload } from './privacy.type';

@Resolver(() => DataExport)
export class DataExportResolver implements OnModuleInit {
  constructor(
    private readonly exports: DataExportService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('DataExport', async (id, rc) => {
      const row = await this.exports.findOwn(rc, id);
      return row ? DataExport.from(row) : null;
    });
  }

  @Mutation(() => ExportMyDataPayload, {
    description: 'Ask for a copy of everything held about your account (PDPA access and portability). It is prepared in the background: follow `myDataExports` (or `node`) until READY, then GET `downloadPath` once.',
  })
  async exportMyData(@Args('input', { type: () => ExportMyDataInput }) _input: ExportMyDataInput, @Ctx() rc: RequestContext): Promise<ExportMyDataPayload> {
    const { dataExport, downloadPath } = await this.exports.request(rc);
    return { dataExport: DataExport.from(dataExport), downloadPath };
  }

  @Query(() => [DataExport], { description: 'Your data exports, newest first (at most 20; finished ones are purged after a while).' })
  async myDataExports(@Ctx() rc: RequestContext): Promise<DataExport[]> {
    return (await this.exports.listOwn(rc)).map(DataExport.from);
  }
}
