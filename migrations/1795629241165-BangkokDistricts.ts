import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bangkok's 50 districts: official code, Thai name, English name (copied from docs/bangkok-districts.csv). */
const DISTRICTS: [string, string, string][] = [
  ['1001', 'พระนคร', 'Phra Nakhon'],
  ['1002', 'ดุสิต', 'Dusit'],
  ['1003', 'หนองจอก', 'Nong Chok'],
  ['1004', 'บางรัก', 'Bang Rak'],
  ['1005', 'บางเขน', 'Bang Khen'],
  ['1006', 'บางกะปิ', 'Bang Kapi'],
  ['1007', 'ปทุมวัน', 'Pathum Wan'],
  ['1008', 'ป้อมปราบศัตรูพ่าย', 'Pom Prap Sattru Phai'],
  ['1009', 'พระโขนง', 'Phra Khanong'],
  ['1010', 'มีนบุรี', 'Min Buri'],
  ['1011', 'ลาดกระบัง', 'Lat Krabang'],
  ['1012', 'ยานนาวา', 'Yan Nawa'],
  ['1013', 'สัมพันธวงศ์', 'Samphanthawong'],
  ['1014', 'พญาไท', 'Phaya Thai'],
  ['1015', 'ธนบุรี', 'Thon Buri'],
  ['1016', 'บางกอกใหญ่', 'Bangkok Yai'],
  ['1017', 'ห้วยขวาง', 'Huai Khwang'],
  ['1018', 'คลองสาน', 'Khlong San'],
  ['1019', 'ตลิ่งชัน', 'Taling Chan'],
  ['1020', 'บางกอกน้อย', 'Bangkok Noi'],
  ['1021', 'บางขุนเทียน', 'Bang Khun Thian'],
  ['1022', 'ภาษีเจริญ', 'Phasi Charoen'],
  ['1023', 'หนองแขม', 'Nong Khaem'],
  ['1024', 'ราษฎร์บูรณะ', 'Rat Burana'],
  ['1025', 'บางพลัด', 'Bang Phlat'],
  ['1026', 'ดินแดง', 'Din Daeng'],
  ['1027', 'บึงกุ่ม', 'Bueng Kum'],
  ['1028', 'สาทร', 'Sathon'],
  ['1029', 'บางซื่อ', 'Bang Sue'],
  ['1030', 'จตุจักร', 'Chatuchak'],
  ['1031', 'บางคอแหลม', 'Bang Kho Laem'],
  ['1032', 'ประเวศ', 'Prawet'],
  ['1033', 'คลองเตย', 'Khlong Toei'],
  ['1034', 'สวนหลวง', 'Suan Luang'],
  ['1035', 'จอมทอง', 'Chom Thong'],
  ['1036', 'ดอนเมือง', 'Don Mueang'],
  ['1037', 'ราชเทวี', 'Ratchathewi'],
  ['1038', 'ลาดพร้าว', 'Lat Phrao'],
  ['1039', 'วัฒนา', 'Watthana'],
  ['1040', 'บางแค', 'Bang Khae'],
  ['1041', 'หลักสี่', 'Lak Si'],
  ['1042', 'สายไหม', 'Sai Mai'],
  ['1043', 'คันนายาว', 'Khan Na Yao'],
  ['1044', 'สะพานสูง', 'Saphan Sung'],
  ['1045', 'วังทองหลาง', 'Wang Thonglang'],
  ['1046', 'คลองสามวา', 'Khlong Sam Wa'],
  ['1047', 'บางนา', 'Bang Na'],
  ['1048', 'ทวีวัฒนา', 'Thawi Watthana'],
  ['1049', 'ทุ่งครุ', 'Thung Khru'],
  ['1050', 'บางบอน', 'Bang Bon'],
];

export class BangkokDistricts1795629241165 implements MigrationInterface {
  name = 'BangkokDistricts1795629241165';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const values = DISTRICTS.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    await queryRunner.query(`INSERT INTO "districts" ("code", "name_th", "name_en") VALUES ${values}`, DISTRICTS.flat());
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "districts" WHERE "code" = ANY($1)`, [DISTRICTS.map(([code]) => code)]);
  }
}
