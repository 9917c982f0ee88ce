import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { auditAbout } from '../audit/audit-scope';
import { LoaderDefinition, RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { UnitOfWork } from '../database/unit-of-work';
import { DistrictEntity } from '../districts/district.entity';
import { DistrictsService } from '../districts/districts.service';
import { ClearDistrictReportTargetsInput, SetDistrictReportTargetsInput, SetReportCategoryTargetsInput } from './dto/report-deadlines.input';
import { ReportCategoryEntity, ReportDistrictTargetEntity } from './entities/report.entity';
import { ReportsService } from './reports.service';

/** A target is whole hours, from 1 to a year. */
const HOURS = { min: 1, max: 8760 } as const;

/**
 * The service-level targets of reports: the city's per category (administrators), and a district's own,
 * tighter ones (its staff and administrators). A report takes its targets when its district receives it,
 * so a change applies to reports received from then on; those already in the queue keep their deadlines.
 */
@Injectable()
export class ReportTargetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly districts: DistrictsService,
  ) {}

  /** Per district: the targets it set for itself, by category code. */
  readonly ofDistrict: LoaderDefinition<string, ReportDistrictTargetEntity[]> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows = await this.dataSource.getRepository(ReportDistrictTargetEntity).find({ where: { districtCode: In([...codes]) }, order: { categoryCode: 'ASC' } });
        return codes.map((code) => rows.filter((row) => row.districtCode === code));
      }),
  };

  private static hours(check: InputCheck, input: { acceptWithinHours: number; resolveWithinHours: number }): { accept: number; resolve: number } {
    const accept = check.integer('acceptWithinHours', input.acceptWithinHours, HOURS);
    const resolve = check.integer('resolveWithinHours', input.resolveWithinHours, HOURS);
    if (resolve < accept) check.fail('resolveWithinHours', msg('reports.errors.resolveBeforeAccept'));
    return { accept, resolve };
  }

  /** Administrators: the city's targets for a category (retired ones too: their reports still run on them). */
  async setCityTargets(rc: RequestContext, input: SetReportCategoryTargetsInput): Promise<ReportCategoryEntity> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('reports.errors.adminsOnly'));
    const check = new InputCheck();
    const code = check.text('code', input.code, { max: 40 });
    const { accept, resolve } = ReportTargetsService.hours(check, input);
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const category = await tx.em.findOne(ReportCategoryEntity, { where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!category) throw AppError.notFound(msg('errors.things.ReportCategory'));
      Object.assign(category, { acceptWithinHours: accept, resolveWithinHours: resolve });
      return tx.em.save(category);
    });
  }

  /**
   * The district's staff and administrators: the district's own targets for a category, each no looser
   * than the city's (BAD_USER_INPUT on the looser one). Setting them again replaces them.
   */
  async setDistrictTargets(rc: RequestContext, input: SetDistrictReportTargetsInput): Promise<{ district: DistrictEntity; target: ReportDistrictTargetEntity }> {
    const check = new InputCheck();
    const { accept, resolve } = ReportTargetsService.hours(check, input);
    check.done();
    const { district, category } = await this.staffOf(rc, input.districtCode, input.categoryCode);
    const looser = new InputCheck();
    if (accept > category.acceptWithinHours) looser.fail('acceptWithinHours', msg('reports.errors.targetLooserThanCity', { hours: category.acceptWithinHours }));
    if (resolve > category.resolveWithinHours) looser.fail('resolveWithinHours', msg('reports.errors.targetLooserThanCity', { hours: category.resolveWithinHours }));
    looser.done();
    return this.unitOfWork.run(async (tx) => {
      await tx.em
        .createQueryBuilder()
        .insert()
        .into(ReportDistrictTargetEntity)
        .values({ districtCode: district.code, categoryCode: category.code, acceptWithinHours: accept, resolveWithinHours: resolve, setById: rc.viewer!.id })
        .orUpdate(['accept_within_hours', 'resolve_within_hours', 'set_by_id', 'updated_at'], ['district_code', 'category_code'])
        .execute();
      return { district, target: await tx.em.findOneByOrFail(ReportDistrictTargetEntity, { districtCode: district.code, categoryCode: category.code }) };
    });
  }

  /** Back to the city's targets for that category; clearing what is not set changes nothing. */
  async clearDistrictTargets(rc: RequestContext, input: ClearDistrictReportTargetsInput): Promise<DistrictEntity> {
    const { district, category } = await this.staffOf(rc, input.districtCode, input.categoryCode);
    return this.unitOfWork.run(async (tx) => {
      await tx.em.delete(ReportDistrictTargetEntity, { districtCode: district.code, categoryCode: category.code });
      return district;
    });
  }

  /** The district and category named, once the viewer is known to be the district's staff or an administrator. */
  private async staffOf(rc: RequestContext, districtCode: string, categoryCode: string): Promise<{ district: DistrictEntity; category: ReportCategoryEntity }> {
    const viewer = rc.requireViewer();
    const district = await this.districts.require(districtCode, 'input.districtCode');
    auditAbout({ district: district.code });
    if (!ReportsService.isStaff(viewer, { districtCode: district.code })) throw AppError.forbidden(msg('reports.errors.districtStaffOnly'));
    const check = new InputCheck();
    const code = check.text('categoryCode', categoryCode, { max: 40 });
    check.done();
    const category = await this.dataSource.getRepository(ReportCategoryEntity).findOneBy({ code });
    if (!category) throw AppError.badInput([{ field: 'input.categoryCode', message: msg('reports.errors.noSuchCategory') }]);
    return { district, category };
  }
}
