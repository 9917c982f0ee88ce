import { msg } from '../common/errors/app-error';
import { InputCheck } from '../common/errors/validation';

/** Bangkok's bounding box: a place a plan or a report is about must be inside the city. */
export const BANGKOK = { minLat: 13.45, maxLat: 14.0, minLng: 100.3, maxLng: 100.95 } as const;

/** Checks a WGS 84 point is inside Bangkok's bounding box, naming `<field>.latitude` and `<field>.longitude`. */
export function checkBangkokPoint(check: InputCheck, field: string, latitude: number, longitude: number): void {
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < BANGKOK.minLat || latitude > BANGKOK.maxLat) check.fail(`${field}.latitude`, msg('errors.proposals.latitudeBangkok'));
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < BANGKOK.minLng || longitude > BANGKOK.maxLng) check.fail(`${field}.longitude`, msg('errors.proposals.longitudeBangkok'));
}
