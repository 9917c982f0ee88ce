import { isUuid, parseGlobalId } from '../relay/global-id';
import { AppError, FieldProblem, MessageText, msg } from './app-error';

/**
 * Collects every problem with an input before refusing it, so a client learns all of them at once.
 * Strings are checked after trimming; control characters other than newlines and tabs are refused.
 */
export class InputCheck {
  private readonly problems: FieldProblem[] = [];

  constructor(private readonly prefix = 'input') {}

  /** The full path of a field, as problems name it (for ids parsed elsewhere, such as by fromGlobalId). */
  path(field: string): string {
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  /**
   * The database id inside a global id that must be of `type`: an id of another type is a problem of the
   * input like any other, found before anything is looked up.
   */
  globalId(field: string, value: string, type: string): string | null {
    const parsed = typeof value === 'string' ? parseGlobalId(value) : null;
    if (!parsed || parsed.type !== type || !isUuid(parsed.id)) {
      this.fail(field, msg('errors.input.notIdOf', { type }));
      return null;
    }
    return parsed.id.toLowerCase();
  }

  fail(field: string, message: MessageText): this {
    this.problems.push({ field: this.path(field), message });
    return this;
  }

  /**
   * A text field: trimmed, length-checked in characters, free of control characters and broken
   * Unicode. Plain text may not contain HTML tags; Markdown may, but not active content.
   */
  text(
    field: string,
    value: string | null | undefined,
    opts: { min?: number; max: number; required?: boolean; multiline?: boolean; markup?: 'none' | 'markdown' },
  ): string {
    if (value !== null && value !== undefined && typeof value !== 'string') {
      this.fail(field, msg('errors.input.notText'));
      return '';
    }
    const trimmed = (value ?? '').trim();
    const length = [...trimmed].length;
    if (opts.required !== false && length === 0) {
      this.fail(field, msg('errors.input.required'));
    } else if (length > 0 && opts.min !== undefined && length < opts.min) {
      this.fail(field, msg('errors.input.tooShort', { min: opts.min }));
    } else if (length > opts.max) {
      this.fail(field, msg('errors.input.tooLong', { max: opts.max }));
    } else if (hasControlCharacters(trimmed, opts.multiline ?? false)) {
      this.fail(field, msg('errors.input.controlCharacters'));
    } else if (!trimmed.isWellFormed()) {
      this.fail(field, msg('errors.input.brokenUnicode'));
    } else if ((opts.markup ?? 'none') === 'none' && HTML_TAG.test(trimmed)) {
      this.fail(field, msg('errors.input.htmlTags'));
    } else if (opts.markup === 'markdown' && ACTIVE_CONTENT.test(trimmed)) {
      this.fail(field, msg('errors.input.activeContent'));
    }
    return trimmed;
  }

  /** A date-time the API read (see parseDateTime): null when it is not a real one. */
  dateTime(field: string, value: Date | null | undefined): Date | null {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    this.fail(field, msg('errors.input.notDateTime'));
    return null;
  }

  /** A whole number in a range. */
  integer(field: string, value: number | null | undefined, opts: { min: number; max: number }): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < opts.min || value > opts.max) {
      this.fail(field, msg('errors.input.integerRange', { min: opts.min, max: opts.max }));
      return opts.min;
    }
    return value;
  }

  /** One of an enum's values (GraphQL checks enums already; services may be called otherwise). */
  oneOf<T extends string>(field: string, value: T | null | undefined, values: readonly T[]): T {
    if (value === null || value === undefined || !values.includes(value)) {
      this.fail(field, msg('errors.input.oneOf', { values: values.join(', ') }));
      return values[0];
    }
    return value;
  }

  /** Throws BAD_USER_INPUT listing every problem found, if any. */
  done(): void {
    if (this.problems.length > 0) throw AppError.badInput(this.problems);
  }
}

const HTML_TAG = /<\/?[a-z!][^>]*>/i;
const ACTIVE_CONTENT = /<\s*\/?\s*(script|iframe|object|embed|style|link|meta|base|form|svg|math)\b|\bon[a-z]+\s*=|javascript:|vbscript:|data:text\/html/i;

function hasControlCharacters(value: string, multiline: boolean): boolean {
  // eslint-disable-next-line no-control-regex
  return multiline ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value) : /[\u0000-\u001f\u007f]/.test(value);
}
