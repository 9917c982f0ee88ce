import { Module } from '@nestjs/common';
import { FrontPageController } from './front-page.controller';
import { IdeController } from './ide.controller';

/** The front page, the schema as a file and the IDE's assets (the IDE page itself is Apollo's landing page: see graphiql-page.ts). */
@Module({ controllers: [FrontPageController, IdeController] })
export class IdeModule {}
