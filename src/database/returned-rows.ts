/** TypeORM answers a raw UPDATE ... RETURNING with [rows, affected] and a SELECT with rows: the rows, either way. */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
