import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { RequestContext } from '../common/context/request-context';
import { AppError, ErrorCode, msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';
import { UnitOfWork } from '../database/unit-of-work';
import { Locale } from '../i18n/locale';
import { PublishTermsInput } from './dto/privacy.input';
import { TermsAcceptanceEntity, TermsDocument, TermsVersionEntity } from './entities/terms.entity';
import { currentTerms } from './terms';

const VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]*$/;
const URL_MAX = 2000;
const TEXT_MAX = 200_000;

/** Consent under the PDPA: the versions of the terms and privacy notice, and who accepted which, when. */
@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  current(): Promise<TermsVersionEntity | null> {
    return currentTerms(this.dataSource.manager);
  }

  /** Every acceptance of an account, oldest first. */
  acceptancesOf(userId: string): Promise<TermsAcceptanceEntity[]> {
    return this.dataSource.getRepository(TermsAcceptanceEntity).find({ where: { userId }, order: { acceptedAt: 'ASC', version: 'ASC' } });
  }

  /** Administrators publish a new version: from then on every account is asked to accept it before changing anything. */
  async publishTerms(rc: RequestContext, input: PublishTermsInput): Promise<TermsVersionEntity> {
    const viewer = rc.requireViewer();
    if (!viewer.isAdmin) throw AppError.forbidden(msg('privacy.errors.adminOnly'));
    const check = new InputCheck();
    const version = check.text('version', input.version, { max: 32 });
    if (version && !VERSION.test(version)) check.fail('version', msg('privacy.errors.versionFormat'));
    const documents: TermsDocument[] = [];
    const given = input.documents ?? [];
    for (const locale of Object.values(Locale)) {
      if (given.filter((d) => d?.locale === locale).length !== 1) check.fail('documents', msg('privacy.errors.oneDocumentPerLanguage'));
    }
    given.forEach((document, i) => {
      const url = check.text(`documents[${i}].url`, document?.url, { max: URL_MAX, required: false }) || null;
      const text = check.text(`documents[${i}].text`, document?.text, { max: TEXT_MAX, required: false, multiline: true, markup: 'markdown' }) || null;
      if (!url === !text) check.fail(`documents[${i}]`, msg('privacy.errors.urlOrText'));
      if (url && !isWebAddress(url)) check.fail(`documents[${i}].url`, msg('privacy.errors.urlInvalid'));
      documents.push({ locale: document?.locale, url, text });
    });
    check.done();
    return this.unitOfWork.run(async ({ em }) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(TermsVersionEntity)
        .values({ version, publishedAt: this.clock.now(), publishedBy: viewer.id, documents })
        .orIgnore()
        .returning('*')
        .execute();
      if (inserted.raw.length === 0) throw AppError.conflict(msg('privacy.errors.versionTaken', { version }));
      return em.findOneByOrFail(TermsVersionEntity, { version });
    });
  }

  /**
   * The signed-in account accepts the version in force. Accepting it again changes nothing; an older
   * version cannot be accepted (what was shown is out of date), an unknown one is NOT_FOUND.
   */
  async acceptTerms(rc: RequestContext, version: string): Promise<TermsAcceptanceEntity> {
    const viewer = rc.requireViewer();
    const check = new InputCheck();
    const wanted = check.text('version', version, { max: 32 });
    check.done();
    return this.unitOfWork.run(async ({ em }) => {
      const current = await currentTerms(em);
      const known = await em.findOneBy(TermsVersionEntity, { version: wanted });
      if (!known || !current) throw new AppError(ErrorCode.NOT_FOUND, msg('privacy.errors.termsNotFound', { version: wanted }));
      if (known.version !== current.version) throw AppError.conflict(msg('privacy.errors.termsSuperseded', { current: current.version }));
      await em
        .createQueryBuilder()
        .insert()
        .into(TermsAcceptanceEntity)
        .values({ userId: viewer.id, version: current.version, acceptedAt: this.clock.now(), via: 'ACCEPT_TERMS' })
        .orIgnore()
        .execute();
      return em.findOneByOrFail(TermsAcceptanceEntity, { userId: viewer.id, version: current.version });
    });
  }
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
