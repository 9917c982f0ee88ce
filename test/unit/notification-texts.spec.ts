import { Locale } from '../../src/i18n/locale';
import { NotificationKind, NotificationValues } from '../../src/notifications/notification.entity';
import { writeNotification } from '../../src/notifications/notification-texts';

/** What each kind stores (as the code that notifies writes it), and what it quotes when read. */
const EXAMPLES: Record<NotificationKind, { values: NotificationValues; quote?: string }> = {
  [NotificationKind.COMMENT_REPLY]: { values: {}, quote: 'เห็นด้วยครับ' },
  [NotificationKind.COMMENT_HIDDEN]: { values: { reason: 'ข้อมูลส่วนบุคคล' } },
  [NotificationKind.COMMENT_RESTORED]: { values: { reason: 'ตรวจสอบแล้ว' } },
  [NotificationKind.COSPONSOR_INVITATION]: { values: {}, quote: 'ตลาดนัดชุมชน' },
  [NotificationKind.PROPOSAL_STATUS_CHANGED]: { values: { from: 'IN_VOTE', to: 'REJECTED' } },
  [NotificationKind.HEARING_OPENED]: { values: { hearing: 'แผนชุมชน', place: 'สำนักงานเขต' } },
  [NotificationKind.HEARING_RESCHEDULED]: { values: { hearing: 'แผนชุมชน', startsAt: '2026-12-02T02:30:00.000Z', endsAt: '2026-12-02T05:00:00.000Z' } },
  [NotificationKind.HEARING_AGENDA_CHANGED]: { values: { hearing: 'แผนชุมชน', agenda: ['งบประมาณ', 'ทางเท้า'] } },
  [NotificationKind.HEARING_CANCELLED]: { values: { hearing: 'แผนชุมชน', reason: 'น้ำท่วม' } },
  [NotificationKind.WAITLIST_PROMOTED]: { values: { hearing: 'แผนชุมชน' } },
  [NotificationKind.REPORT_STATUS_CHANGED]: { values: { from: 'IN_PROGRESS', to: 'RESOLVED', note: 'ซ่อมไฟเรียบร้อยแล้ว' } },
  [NotificationKind.CITING_PROPOSAL_CHANGED]: { values: { to: 'ADOPTED' } },
  [NotificationKind.DISTRICT_ANNOUNCEMENT]: { values: { newsTitle: { th: 'ปิดถนนสีลม', en: 'Silom Road closed' }, district: { th: 'เขตบางรัก', en: 'Bang Rak' }, announcementKind: 'NOTICE' } },
  [NotificationKind.DISTRICT_PROPOSAL]: { values: { newsTitle: { th: 'ทางเท้าใหม่', en: null }, district: { th: 'เขตบางรัก', en: 'Bang Rak' } } },
  [NotificationKind.DISTRICT_HEARING]: { values: { newsTitle: { th: 'แผนชุมชน', en: null }, district: { th: 'เขตบางรัก', en: 'Bang Rak' } } },
  [NotificationKind.DISTRICT_VOTE]: { values: { newsTitle: { th: 'งบประมาณ', en: null } } },
  [NotificationKind.DISTRICT_QUESTIONNAIRE]: { values: { newsTitle: { th: 'สำรวจความเห็น', en: 'Survey' }, district: { th: 'เขตบางรัก', en: 'Bang Rak' } } },
};

describe('notification texts', () => {
  // From the enum, not from EXAMPLES: a new kind fails here until it has texts in every language.
  it.each(Object.values(NotificationKind).flatMap((kind) => Object.values(Locale).map((locale) => [kind, locale] as const)))('%s reads in %s', (kind, locale) => {
    const example = EXAMPLES[kind];
    expect(example).toBeDefined();
    const text = writeNotification(locale, kind, example.values, example.quote ?? null);
    const other = writeNotification(locale === Locale.th ? Locale.en : Locale.th, kind, example.values, example.quote ?? null);
    expect(text.title.trim()).not.toBe('');
    expect(text.body?.trim()).toBeTruthy();
    for (const part of [text.title, text.body!]) {
      expect(part).not.toMatch(/\{\{|\}\}|undefined|null|notifications\./);
      // Status values never show raw ("IN_VOTE → REJECTED"): only their labels do.
      expect(part).not.toMatch(/\b[A-Z]{2,}(_[A-Z]+)*\b/);
    }
    expect(text.title).not.toBe(other.title);
    if (locale === Locale.th) expect(text.title).toMatch(/[\u0E00-\u0E7F]/);
  });

  it('tells district news in the reader\'s language, an emergency whatever its kind of title, a city-wide one as Bangkok\'s', () => {
    const values: NotificationValues = { newsTitle: { th: 'น้ำท่วมถนนสีลม', en: 'Flooding on Silom Road' }, district: { th: 'เขตบางรัก', en: 'Bang Rak' }, announcementKind: 'EMERGENCY' };
    expect(writeNotification(Locale.en, NotificationKind.DISTRICT_ANNOUNCEMENT, values, null)).toEqual({ title: 'Emergency in Bang Rak', body: 'Flooding on Silom Road' });
    expect(writeNotification(Locale.th, NotificationKind.DISTRICT_ANNOUNCEMENT, values, null)).toEqual({ title: 'เหตุฉุกเฉินในเขตบางรัก', body: 'น้ำท่วมถนนสีลม' });
    expect(writeNotification(Locale.en, NotificationKind.DISTRICT_PROPOSAL, { newsTitle: { th: 'ทางเท้าใหม่', en: null } }, null)).toEqual({ title: 'A new proposal for Bangkok', body: 'ทางเท้าใหม่' });
  });

  it('writes statuses by their labels and times in Bangkok, Thai ones in the Buddhist era', () => {
    const status = writeNotification(Locale.th, NotificationKind.PROPOSAL_STATUS_CHANGED, { from: 'IN_VOTE', to: 'REJECTED', note: 'ไม่ถึงองค์ประชุม' }, null);
    expect(status).toEqual({ title: 'ข้อเสนอของคุณเปลี่ยนสถานะเป็น “ไม่ได้รับการรับรอง”', body: 'เปลี่ยนจาก “อยู่ระหว่างลงมติ” เป็น “ไม่ได้รับการรับรอง”: ไม่ถึงองค์ประชุม' });
    expect(writeNotification(Locale.en, NotificationKind.PROPOSAL_STATUS_CHANGED, { from: 'IN_VOTE', to: 'REJECTED' }, null).body).toBe('Changed from “In vote” to “Rejected”.');
    const moved = EXAMPLES.HEARING_RESCHEDULED.values;
    expect(writeNotification(Locale.th, NotificationKind.HEARING_RESCHEDULED, moved, null).body).toBe('กำหนดการใหม่: 2 ธันวาคม 2569 เวลา 09:30 น. ถึง 2 ธันวาคม 2569 เวลา 12:00 น.');
    expect(writeNotification(Locale.en, NotificationKind.HEARING_RESCHEDULED, moved, null).body).toBe('Now from 2 December 2026 at 09:30 to 2 December 2026 at 12:00');
  });

  it('writes a report’s change of status in both languages, with the staff’s note', () => {
    expect(writeNotification(Locale.th, NotificationKind.REPORT_STATUS_CHANGED, { from: 'RECEIVED', to: 'REJECTED', note: 'อยู่นอกเขต' }, null)).toEqual({
      title: 'เรื่องที่คุณติดตามเปลี่ยนสถานะเป็น “ไม่รับเรื่อง”',
      body: 'เปลี่ยนจาก “รับเรื่องแล้ว” เป็น “ไม่รับเรื่อง”: อยู่นอกเขต',
    });
    expect(writeNotification(Locale.en, NotificationKind.REPORT_STATUS_CHANGED, { from: 'IN_PROGRESS', to: 'RESOLVED' }, null)).toEqual({
      title: 'A report you follow is now “Resolved”',
      body: 'Changed from “In progress” to “Resolved”.',
    });
  });

  it('tells the people behind a cited report what each step of the citing plan means, in both languages', () => {
    expect(writeNotification(Locale.th, NotificationKind.CITING_PROPOSAL_CHANGED, { to: 'PUBLISHED' }, null)).toEqual({
      title: 'แผนที่อ้างถึงเรื่องที่คุณติดตามมีสถานะ “เผยแพร่แล้ว”',
      body: 'ข้อเสนอแผนพัฒนาชุมชนที่อ้างถึงเรื่องที่คุณแจ้งหรือสนับสนุนได้เผยแพร่แล้ว คุณอ่าน แสดงความคิดเห็น และสนับสนุนได้',
    });
    expect(writeNotification(Locale.en, NotificationKind.CITING_PROPOSAL_CHANGED, { to: 'ADOPTED' }, null).title).toBe('A plan citing a report you follow is now “Adopted”');
    expect(writeNotification(Locale.en, NotificationKind.CITING_PROPOSAL_CHANGED, { to: 'COMPLETED' }, null).body).toBe(
      'The district reports that a plan citing a report you made or support has been completed.',
    );
  });

  it('leaves out what is not there: a quote no longer readable, no reason given, an empty agenda; old text kept as it was', () => {
    expect(writeNotification(Locale.en, NotificationKind.COMMENT_REPLY, {}, null)).toEqual({ title: 'New reply to your comment', body: null });
    expect(writeNotification(Locale.th, NotificationKind.HEARING_CANCELLED, { hearing: 'แผนชุมชน' }, null).body).toBeNull();
    expect(writeNotification(Locale.en, NotificationKind.HEARING_AGENDA_CHANGED, { hearing: 'Plan', agenda: [] }, null).body).toBe('The agenda is now empty.');
    expect(writeNotification(Locale.th, NotificationKind.PROPOSAL_STATUS_CHANGED, { legacyText: 'something older' }, null)).toEqual({ title: 'สถานะข้อเสนอของคุณมีการเปลี่ยนแปลง', body: 'something older' });
  });
});
