import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import { Locale } from '../i18n/locale';
import { DataExportEntity, DataExportStatus } from './entities/data-export.entity';
import { TermsAcceptanceEntity, TermsVersionEntity } from './entities/terms.entity';

registerEnumType(DataExportStatus, { name: 'DataExportStatus' });

export enum TermsAcceptedVia {
  REGISTRATION = 'REGISTRATION',
  ACCEPT_TERMS = 'ACCEPT_TERMS',
}
registerEnumType(TermsAcceptedVia, { name: 'TermsAcceptedVia', description: 'Accepted when registering, or when asked again after a new version.' });

@ObjectType({ description: 'The terms of use and privacy notice in one language: its text, or where it is published.' })
export class TermsDocument {
  @Field(() => Locale)
  locale: Locale;

  @Field(() => String, { nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'Markdown.' })
  text: string | null;
}

@ObjectType({ description: 'A published version of the terms of use and privacy notice.' })
export class TermsVersion {
  @Field(() => String)
  version: string;

  @Field(() => Date)
  publishedAt: Date;

  @Field(() => [TermsDocument], { description: 'One per language (th, en).' })
  documents: TermsDocument[];

  publishedBy: string | null;

  static from(entity: TermsVersionEntity): TermsVersion {
    return Object.assign(new TermsVersion(), {
      version: entity.version,
      publishedAt: entity.publishedAt,
      documents: entity.documents.map((d) => Object.assign(new TermsDocument(), { locale: d.locale as Locale, url: d.url, text: d.text })),
      publishedBy: entity.publishedBy,
    });
  }
}

@ObjectType({ description: 'An acceptance of a version of the terms, kept for good: the record of consent.' })
export class TermsAcceptance {
  @Field(() => String)
  version: string;

  @Field(() => Date)
  acceptedAt: Date;

  @Field(() => TermsAcceptedVia)
  via: TermsAcceptedVia;

  static from(entity: TermsAcceptanceEntity): TermsAcceptance {
    return Object.assign(new TermsAcceptance(), { version: entity.version, acceptedAt: entity.acceptedAt, via: entity.via as TermsAcceptedVia });
  }
}

@ObjectType('DataExport', { implements: () => [Node], description: 'A copy of everything held about your account, prepared in the background and fetched once.' })
export class DataExport implements Node {
  id: string;
  nodeType = 'DataExport';

  @Field(() => DataExportStatus)
  status: DataExportStatus;

  @Field(() => Date)
  requestedAt: Date;

  @Field(() => Date, { nullable: true })
  readyAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The download link works until then.' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  fetchedAt: Date | null;

  static from(entity: DataExportEntity): DataExport {
    return Object.assign(new DataExport(), {
      id: toGlobalId('DataExport', entity.id),
      status: entity.status,
      requestedAt: entity.requestedAt,
      readyAt: entity.readyAt,
      expiresAt: entity.expiresAt,
      fetchedAt: entity.fetchedAt,
    });
  }
}

@ObjectType()
export class PublishTermsPayload {
  @Field(() => TermsVersion)
  terms: TermsVersion;
}

@ObjectType()
export class AcceptTermsPayload {
  @Field(() => TermsAcceptance)
  acceptance: TermsAcceptance;
}

@ObjectType()
export class ExportMyDataPayload {
  @Field(() => DataExport)
  dataExport: DataExport;

  @Field(() => String, {
    description: 'GET this path (on the same host) once the export is READY to download the file, once. Shown only now; keep it private: it works without signing in.',
  })
  downloadPath: string;
}
