import type { Response } from 'express';

/**
 * A download's Content-Disposition (RFC 6266): `filename` in plain ASCII for every client, and
 * `filename*` in UTF-8 (RFC 8187) for those that read it, so a Thai file name survives the trip and an
 * old client still saves a sensible one.
 */
export function contentDisposition(asciiName: string, utf8Name: string = asciiName): string {
  if (!/^[\x20-\x7e]+$/.test(asciiName) || /["\\]/.test(asciiName)) throw new Error(`not a plain ASCII file name: ${asciiName}`);
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

/** Makes `res` a download under these names. */
export function attachment(res: Response, asciiName: string, utf8Name?: string): void {
  res.setHeader('Content-Disposition', contentDisposition(asciiName, utf8Name));
}

/**
 * The byte-order mark a CSV starts with: without it, the spreadsheet programs used in Thai offices read
 * UTF-8 as the local code page (TIS-620 / Windows-874) and Thai turns into mojibake.
 */
export const UTF8_BOM = '\uFEFF';

/** A CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
