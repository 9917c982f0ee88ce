import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { LoaderDefinition, RequestContext } from '../common/context/request-context';
import { AppError, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { UnitOfWork } from '../database/unit-of-work';
import { Locale } from '../i18n/locale';
import { AddReportCategoryInput } from './dto/report.input';
import { ReportCategoryEntity } from './entities/report.entity';

const CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** The categories reports are filed under: read by everyone, added and retired by administrators. */
@Injectable()
export class ReportCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Read fresh each request: administrators change them, and other instances must see the change. */
  readonly byCode: LoaderDefinition<string, ReportCategoryEntity | null> = {
    create: () =>
      new DataLoader(async (codes) => {
        const rows = await this.dataSource.getRepository(ReportCategoryEntity).findBy({ code: In([...codes]) });
        return codes.map((code) => rows.find((row) => row.code === code) ?? null);
      }),
  };

  static nameIn(locale: Locale, category: Pick<ReportCategoryEntity, 'nameTh' | 'nameEn'>): string {
    return locale === Locale.en ? category.nameEn : category.nameTh;
  }

  active(): Promise<ReportCategoryEntity[]> {
    return this.dataSource.getRepository(ReportCategoryEntity).find({ where: { active: true }, order: { position: 'ASC', code: 'ASC' } });
  }

  /** An active category for a new report, or BAD_USER_INPUT on `field` (retired and unknown codes alike). */
  async requireActive(code: string, field: string): Promise<ReportCategoryEntity> {
    const category = typeof code === 'string' && code.length <= 40 ? await this.dataSource.getRepository(ReportCategoryEntity).findOneBy({ code: code.trim() }) : null;
    if (!category || !category.active) throw AppError.badInput([{ field, message: msg('reports.errors.categoryNotActive') }]);
    return category;
  }

  async add(rc: RequestContext, input: AddReportCategoryInput): Promise<ReportCategoryEntity> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('reports.errors.adminsOnly'));
    const check = new InputCheck();
    const code = check.text('code', input.code, { max: 40 });
    if (code && !CODE.test(code)) check.fail('code', msg('reports.errors.categoryCodeShape'));
    const nameTh = check.text('nameTh', input.nameTh, { min: 2, max: 100 });
    const nameEn = check.text('nameEn', input.nameEn, { min: 2, max: 100 });
    const position = input.position === null || input.position === undefined ? null : check.integer('position', input.position, { min: 0, max: 1_000_000 });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const inserted = await tx.em
        .createQueryBuilder()
        .insert()
        .into(ReportCategoryEntity)
        .values({ code, nameTh, nameEn, position: position ?? (() => `(SELECT coalesce(max("position"), 0) + 10 FROM "report_categories")`) })
        .orIgnore()
        .returning('code')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) throw AppError.conflict(msg('reports.errors.categoryExists', { code }));
      return tx.em.findOneByOrFail(ReportCategoryEntity, { code });
    });
  }

  /** Retiring twice changes nothing. */
  async retire(rc: RequestContext, code: string): Promise<ReportCategoryEntity> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('reports.errors.adminsOnly'));
    const check = new InputCheck();
    const trimmed = check.text('code', code, { max: 40 });
    check.done();
    return this.unitOfWork.run(async (tx) => {
      const category = await tx.em.findOneBy(ReportCategoryEntity, { code: trimmed });
      if (!category) throw AppError.notFound(msg('errors.things.ReportCategory'));
      if (category.active) await tx.em.update(ReportCategoryEntity, { code: category.code }, { active: false });
      return { ...category, active: false };
    });
  }
}
