import { normalizeForSearch, searchWords } from '../../src/common/text/search-words';

describe('search words', () => {
  it('splits Thai, which has no spaces, into words', () => {
    const words = searchWords('ปัญหาน้ำท่วมซอยบ่อยมาก');
    expect(words).toEqual(expect.arrayContaining(['น้ำ', 'ท่วม', 'ซอย']));
    expect(words.join('')).toBe('ปัญหาน้ำท่วมซอยบ่อยมาก');
  });

  it('keeps English and numbers as words, lower-cased, without punctuation', () => {
    expect(searchWords('Install 40 LED lamps, please!')).toEqual(['install', '40', 'led', 'lamps', 'please']);
  });

  it('finds the words of a query among the words of a text, as the proposals search does', () => {
    const text = new Set(searchWords('ทางเดินมืดและน้ำท่วมขังหลังฝนตก'));
    expect(searchWords('น้ำท่วม').every((w) => text.has(w))).toBe(true);
    expect(searchWords('รถไฟฟ้า').every((w) => text.has(w))).toBe(false);
  });

  it('normalises case, Unicode composition and spacing', () => {
    expect(normalizeForSearch('  Cafe\u0301   CORNER \n')).toBe('café corner');
  });
});
