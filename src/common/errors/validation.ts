import { AppError, FieldProblem } from './app-error';

/**
 * Collects every problem with an input before refusing it, so a client learns all of them at once.
 * Strings are checked after trimming; control characters other than newlines and tabs are refused.
 */
export class InputCheck {
  private readonly problems: FieldProblem[] = [];

  constructor(private readonly prefix = 'input') {}

  private path(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  fail(field: string, message: string): this {
    this.problems.push({ field: this.path(field), message });
    return this;
  }

  text(field: string, value: string | null | undefined, opts: { min?: number; max: number; required?: boolean; multiline?: boolean }): string {
    const trimmed = (value ?? '').trim();
    const length = [...trimmed].length;
    if (opts.required !== false && length === 0) {
      this.fail(field, 'is required');
    } else if (opts.min !== undefined && length < opts.min) {
      this.fail(field, `must be at least ${opts.min} characters`);
    } else if (length > opts.max) {
      this.fail(field, `must be at most ${opts.max} characters`);
    } else if (hasControlCharacters(trimmed, opts.multiline ?? false)) {
      this.fail(field, 'contains control characters');
    }
    return trimmed;
  }

  /** Throws BAD_USER_INPUT listing every problem found, if any. */
  done(): void {
    if (this.problems.length > 0) throw AppError.badInput(this.problems);
  }
}

function hasControlCharacters(value: string, multiline: boolean): boolean {
  // eslint-disable-next-line no-control-regex
  return multiline ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value) : /[\u0000-\u001f\u007f]/.test(value);
}
