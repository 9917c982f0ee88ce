import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { APP_CONFIG, AppConfig, schemaIsPublic } from '../config/config';

/** Text for HTML: the page quotes nothing from outside, but a link's text is escaped all the same. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The front page (Thai first, English second): what this server is and where its doors are. No asset from anywhere. */
export function frontPageHtml(options: { ide: boolean; schema: boolean }): string {
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const item = (href: string, th: string, en: string, note = '') => `<li>${link(href, href)}: ${th} / <span lang="en">${en}</span>${note}</li>`;
  const items = [
    options.ide ? item('/graphql', 'ทดลองเรียก GraphQL ในเบราว์เซอร์ (GraphiQL) พร้อมตัวอย่างจาก README', 'try GraphQL in the browser (GraphiQL), with the README\'s examples') : '',
    options.schema ? item('/schema.graphql', 'สคีมา GraphQL', 'the GraphQL schema') : '',
    item('/health', 'สถานะของเซิร์ฟเวอร์', 'liveness'),
    item('/health/ready', 'ความพร้อมของฐานข้อมูลและ Redis', 'readiness (database, Redis)'),
  ].filter(Boolean);
  return `<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>การมีส่วนร่วมของประชาชนระดับเขต กรุงเทพมหานคร · Bangkok district participation</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1b1b1b; }
  code { background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
  .en { color: #444; }
</style>
</head>
<body>
<h1>เซิร์ฟเวอร์การมีส่วนร่วมของประชาชน 50 เขต กรุงเทพมหานคร</h1>
<p>เซิร์ฟเวอร์ GraphQL สำหรับแผนพัฒนาชุมชนของเขต: เสนอและอภิปรายแผน เวทีรับฟังความคิดเห็น และการลงคะแนน
พร้อมการแจ้งเปลี่ยนแปลงแบบสด (subscriptions ผ่าน graphql-ws ที่ <code>/graphql</code>)</p>
<p class="en" lang="en">Bangkok district participation server: the GraphQL API behind the community plans of the 50 district
offices, their public hearings and votes, with live updates (subscriptions over graphql-ws at <code>/graphql</code>).</p>
<h2>ลิงก์ <span class="en" lang="en">/ Links</span></h2>
<ul>
${items.join('\n')}
</ul>
<h2>ข้อมูลเปิด <span class="en" lang="en">/ Open data</span></h2>
<p>ผลการลงคะแนนและบันทึกบัตรลงคะแนนของรอบที่ปิดแล้ว ดาวน์โหลดได้ที่
<code>/voting-rounds/&lt;id&gt;/results.json</code>, <code>results.csv</code>, <code>ballots.json</code>, <code>ballots.csv</code>
(<code>&lt;id&gt;</code> คือรหัสของรอบการลงคะแนน <code>VotingRound.id</code>)</p>
<p class="en" lang="en">A closed voting round's results and ballot record: <code>/voting-rounds/&lt;id&gt;/results.json</code>,
<code>results.csv</code>, <code>ballots.json</code> and <code>ballots.csv</code>, where <code>&lt;id&gt;</code> is the round's
<code>VotingRound.id</code>.</p>
</body>
</html>
`;
}

@Controller()
export class FrontPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  frontPage(): string {
    return frontPageHtml({ ide: this.config.ide, schema: schemaIsPublic(this.config) });
  }

  /** The schema as SDL, where introspection would give it anyway. */
  @Get('schema.graphql')
  @Header('content-type', 'text/plain; charset=utf-8')
  schema(): string {
    if (!schemaIsPublic(this.config)) throw new NotFoundException();
    // The GraphQL module does not export its schema host; it is looked up where it lives.
    return printSchema(this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema) + '\n';
  }
}
