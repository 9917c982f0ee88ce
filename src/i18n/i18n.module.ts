import { Module } from '@nestjs/common';
import { LabelsResolver } from './labels.resolver';

/** The `labels` query: enum labels in either language. The catalogues themselves need no module (`t` reads them). */
@Module({ providers: [LabelsResolver] })
export class I18nModule {}
