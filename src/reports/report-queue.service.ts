import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { LoaderDefinition, RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { ConnectionShape, paginate } from '../common/pagination/connection';
import { DistrictsService } from '../districts/districts.service';
import { ReportQueueArgs } from './dto/report-deadlines.input';
import { ReportBreachEntity, ReportEntity } from './entities/report.entity';
import { OPEN_STATUSES } from './report-lifecycle';
import { ReportsService } from './reports.service';

/** A district's staff at work: the queue of its open reports by deadline, and the deadlines each missed. */
@Injectable()
export class ReportQueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictsService,
  ) {}

  /** Per report: the deadlines it missed, oldest first. */
  readonly breachesOf: LoaderDefinition<string, ReportBreachEntity[]> = {
    create: () =>
      new DataLoader(async (ids) => {
        const rows = await this.dataSource.getRepository(ReportBreachEntity).find({ where: { reportId: In([...ids]) }, order: { dueAt: 'ASC', id: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.reportId === id));
      }),
  };

  /** The district's staff and administrators, or FORBIDDEN (UNAUTHENTICATED when signed out). */
  async requireStaff(rc: RequestContext, districtCode: string, field = 'districtCode'): Promise<string> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, field);
    if (!ReportsService.isStaff(viewer, { districtCode: district.code })) throw AppError.forbidden(msg('reports.errors.districtStaffOnly'));
    return district.code;
  }

  /** The district's open reports, the next deadline first (IDX_reports_queue), then by id. */
  async queue(rc: RequestContext, args: ReportQueueArgs): Promise<ConnectionShape<ReportEntity>> {
    const districtCode = await this.requireStaff(rc, args.districtCode);
    // An open report always has a next deadline; closed ones have none and are not in the queue.
    const query = this.dataSource.getRepository(ReportEntity).createQueryBuilder('r').where('r.district_code = :districtCode AND r.due_at IS NOT NULL', { districtCode });
    const statuses = (args.statuses ?? []).filter((status) => OPEN_STATUSES.includes(status));
    if (args.statuses?.length) query.andWhere(statuses.length ? 'r.status IN (:...statuses)' : 'false', { statuses });
    if (args.overdueOnly) query.andWhere('r.overdue_since IS NOT NULL');
    return paginate(query, args, { columns: [{ sql: 'r.due_at', value: (r) => r.dueAt! }, { sql: 'r.id', value: (r) => r.id }], direction: 'ASC' }, (r) => r);
  }
}
