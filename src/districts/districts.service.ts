import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, msg } from '../common/errors/app-error';
import { DistrictEntity } from './district.entity';

/**
 * The 50 districts change only by migration, so they are read once and kept in memory:
 * resolving a district on every item of a list costs no query.
 */
@Injectable()
export class DistrictsService {
  private cache?: Promise<Map<string, DistrictEntity>>;

  constructor(private readonly dataSource: DataSource) {}

  private all(): Promise<Map<string, DistrictEntity>> {
    this.cache ??= this.dataSource
      .getRepository(DistrictEntity)
      .find({ order: { code: 'ASC' } })
      .then((rows) => new Map(rows.map((row) => [row.code, row])))
      .catch((error: unknown) => {
        this.cache = undefined;
        throw error;
      });
    return this.cache;
  }

  async list(): Promise<DistrictEntity[]> {
    return [...(await this.all()).values()];
  }

  async find(code: string): Promise<DistrictEntity | null> {
    return (await this.all()).get(code) ?? null;
  }

  /** The district, or NOT_FOUND naming the code (BAD_USER_INPUT when the code is not even well-formed). */
  async require(code: string, field = 'districtCode'): Promise<DistrictEntity> {
    if (typeof code !== 'string' || !/^\d{4}$/.test(code.trim())) {
      throw AppError.badInput([{ field, message: msg('errors.districts.codeShape') }]);
    }
    const district = await this.find(code.trim());
    if (!district) throw AppError.notFound(msg('errors.things.district', { code: code.trim() }));
    return district;
  }
}
