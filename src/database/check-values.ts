/** The SQL list of allowed values for a CHECK constraint over an enum column: 'A', 'B', 'C'. */
export function sqlValues(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
