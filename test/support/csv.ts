/** RFC 4180 as a spreadsheet reads it, after the byte-order mark (quoted commas, quotes and line breaks). */
export function sheet(bytes: Buffer): { bom: boolean; rows: string[][] } {
  const bom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  return { bom, rows: csvRows(bytes.subarray(bom ? 3 : 0).toString('utf8')) };
}

/** The rows of CSV text, RFC 4180 (quoted commas, quotes and line breaks; CRLF or LF). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
