import { HostAppointmentEntity } from '../accounts/entities/host-appointment.entity';
import { RefreshTokenEntity } from '../accounts/entities/refresh-token.entity';
import { ResidencyEntity } from '../accounts/entities/residency.entity';
import { UserEntity } from '../accounts/entities/user.entity';
import { DistrictEntity } from '../districts/district.entity';

/** Every entity the server maps; the migrations in migrations/ must create exactly these. */
export const ENTITIES = [DistrictEntity, UserEntity, RefreshTokenEntity, HostAppointmentEntity, ResidencyEntity];
