import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Locale } from '../../i18n/locale';

@InputType()
export class TermsDocumentInput {
  @Field(() => Locale)
  locale: Locale;

  @Field(() => String, { nullable: true, description: 'Where the document is published (http or https); or else its text.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'The full text (Markdown); or else its URL.' })
  text?: string | null;
}

@InputType()
export class PublishTermsInput {
  @Field(() => String, { description: 'A new version name (up to 32 letters, digits, ".", "_" or "-"), e.g. "2026-12".' })
  version: string;

  @Field(() => [TermsDocumentInput], { description: 'One document per language: th and en, each a URL or a text.' })
  documents: TermsDocumentInput[];
}

@InputType()
export class AcceptTermsInput {
  @Field(() => String, { description: 'The version in force (`currentTerms.version`), as shown to the person.' })
  version: string;
}

export enum DataExportFormat {
  JSON = 'JSON',
}
registerEnumType(DataExportFormat, { name: 'DataExportFormat', description: 'A machine-readable format of the file.' });

@InputType()
export class ExportMyDataInput {
  @Field(() => DataExportFormat, { defaultValue: DataExportFormat.JSON })
  format: DataExportFormat;
}
