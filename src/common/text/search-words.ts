/**
 * Text search that works for Thai, which has no spaces between words: Intl.Segmenter splits Thai
 * (and English, and digits) into words, so "น้ำท่วม" is found inside "ปัญหาน้ำท่วมซอยบ่อยมาก".
 */
const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Lower-cased, Unicode-normalised text with runs of whitespace made single spaces. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The distinct words of a text, normalised. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  for (const segment of segmenter.segment(normalizeForSearch(text))) {
    if (segment.isWordLike) words.add(segment.segment);
  }
  return [...words];
}
