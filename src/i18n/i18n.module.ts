import { Module } from '@nestjs/common';
import { LABEL_FIELD_RESOLVERS } from './label-fields.resolver';
import { LabelsResolver } from './labels.resolver';

/** The `labels` query and the label fields beside the statuses: enum labels in either language. The catalogues themselves need no module (`t` reads them). */
@Module({ providers: [LabelsResolver, ...LABEL_FIELD_RESOLVERS] })
export class I18nModule {}
