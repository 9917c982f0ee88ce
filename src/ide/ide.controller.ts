import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IDE_ASSETS } from './ide-assets';

/** The IDE's scripts and styles (GET /ide/<file>), from the installed packages; nothing when the IDE is off. */
@Controller('ide')
export class IdeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const path = Object.hasOwn(IDE_ASSETS, file) ? IDE_ASSETS[file] : undefined;
    if (!this.config.ide || !path) throw new NotFoundException();
    // The file names carry no version: a browser revalidates (ETag) rather than keep an old GraphiQL.
    res.sendFile(path, { headers: { 'cache-control': 'no-cache' } });
  }
}
