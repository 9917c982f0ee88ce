import { MigrationInterface, QueryRunner } from "typeorm";

interface Message {
    key: string;
    values?: Record<string, unknown>;
}

/**
 * The notes the platform wrote on proposals' changes of status, in the English it wrote them in, and the
 * catalogue key each now is (src/i18n/<locale>/notifications.json, statusNotes). Checked in this order.
 */
const SYSTEM_NOTES: { key: string; english: string; pattern: RegExp; values(m: RegExpMatchArray): Record<string, unknown> }[] = [
    { key: 'heardElsewhere', english: '{{why}}; heard at the hearing “{{hearing}}”', pattern: /^(.*); heard at the hearing “(.*)”$/s, values: (m) => ({ why: systemNote(m[1]) ?? m[1], hearing: m[2] }) },
    { key: 'onHearingAgenda', english: 'On the agenda of the hearing “{{hearing}}”', pattern: /^On the agenda of the hearing “(.*)”$/s, values: (m) => ({ hearing: m[1] }) },
    { key: 'leftHearingAgenda', english: 'Left the agenda of the hearing “{{hearing}}”', pattern: /^Left the agenda of the hearing “(.*)”$/s, values: (m) => ({ hearing: m[1] }) },
    { key: 'hearingClosed', english: 'The hearing “{{hearing}}” closed', pattern: /^The hearing “(.*)” closed$/s, values: (m) => ({ hearing: m[1] }) },
    { key: 'hearingCancelled', english: 'The hearing “{{hearing}}” was cancelled', pattern: /^The hearing “(.*)” was cancelled$/s, values: (m) => ({ hearing: m[1] }) },
    { key: 'heardAt', english: 'Heard at the hearing “{{hearing}}”', pattern: /^Heard at the hearing “(.*)”$/s, values: (m) => ({ hearing: m[1] }) },
    { key: 'endorsementsReached', english: "{{count}} endorsements reached the district's threshold of {{threshold}}", pattern: /^(\d+) endorsements reached the district's threshold of (\d+)$/, values: (m) => ({ count: Number(m[1]), threshold: Number(m[2]) }) },
    { key: 'onBallot', english: 'On the ballot of “{{round}}”', pattern: /^On the ballot of “(.*)”$/s, values: (m) => ({ round: m[1] }) },
    { key: 'voteCancelled', english: 'The vote “{{round}}” was cancelled: {{reason}}', pattern: /^The vote “(.*?)” was cancelled: (.*)$/s, values: (m) => ({ round: m[1], reason: m[2] }) },
    { key: 'quorumNotMet', english: 'Vote “{{round}}”: {{turnout}} ballots, quorum of {{quorum}} not met', pattern: /^Vote “(.*)”: (\d+) ballots, quorum of (\d+) not met$/s, values: (m) => ({ round: m[1], turnout: Number(m[2]), quorum: Number(m[3]) }) },
    { key: 'voteCounted', english: 'Vote “{{round}}”: {{turnout}} ballots', pattern: /^Vote “(.*)”: (\d+) ballots$/s, values: (m) => ({ round: m[1], turnout: Number(m[2]) }) },
];

/** The catalogue message an English note the platform wrote now is, or null for a note a person wrote. */
function systemNote(text: string): Message | null {
    for (const note of SYSTEM_NOTES) {
        const m = text.match(note.pattern);
        if (m) return { key: `notifications.statusNotes.${note.key}`, values: note.values(m) };
    }
    return null;
}

/** The English a system note was written in before (for down). */
function englishNote(message: Message): string {
    const note = SYSTEM_NOTES.find((n) => `notifications.statusNotes.${n.key}` === message.key);
    if (!note) return message.key;
    return note.english.replace(/\{\{(\w+)\}\}/g, (_all, name: string) => {
        const value = message.values?.[name];
        return typeof value === 'object' && value !== null ? englishNote(value as Message) : String(value);
    });
}

/**
 * Notifications keep what their text is made from (`values`: statuses, reasons, titles, times as ISO
 * strings) instead of English text, and are written in the reader's language when read. The English
 * `detail` of existing rows is taken apart where its shape is known (every shape the code wrote:
 * "FROM → TO: note", a reason, a place, "start – end, venue", "a · b · c", "A seat came free at “title”");
 * hearing kinds get the hearing's title. A detail whose shape is not recognised is kept as `legacyText`
 * and shown as it was. Down writes the English detail back from the values.
 *
 * The notes the platform itself writes on a proposal's change of status ("On the ballot of “…”") become
 * catalogue messages too, in the transitions (`note_message`) and in the notifications' values; notes
 * people wrote stay as written.
 */
export class StructuredNotifications1796278627962 implements MigrationInterface {
    name = 'StructuredNotifications1796278627962'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "values" jsonb NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_strip_nulls(jsonb_build_object('from', p.m[1], 'to', p.m[2], 'note', p.m[3]))
            FROM (SELECT "id", regexp_match("detail", '^([A-Z_]+) → ([A-Z_]+)(?:: (.*))?$') AS m FROM "notifications" WHERE "kind" = 'PROPOSAL_STATUS_CHANGED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('reason', "detail")
            WHERE "kind" IN ('COMMENT_HIDDEN', 'COMMENT_RESTORED', 'HEARING_CANCELLED') AND "detail" IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('place', "detail")
            WHERE "kind" = 'HEARING_OPENED' AND "detail" IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_strip_nulls(jsonb_build_object('startsAt', p.m[1], 'endsAt', p.m[2], 'place', p.m[3]))
            FROM (SELECT "id", regexp_match("detail", '^(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z) – (\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)(?:, (.*))?$') AS m FROM "notifications" WHERE "kind" = 'HEARING_RESCHEDULED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('agenda', to_jsonb(CASE WHEN coalesce("detail", '') = '' THEN ARRAY[]::text[] ELSE string_to_array("detail", ' · ') END))
            WHERE "kind" = 'HEARING_AGENDA_CHANGED'
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_build_object('hearing', p.m[1])
            FROM (SELECT "id", regexp_match("detail", '^A seat came free at “(.*)”$') AS m FROM "notifications" WHERE "kind" = 'WAITLIST_PROMOTED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        // A shape not recognised (only the two parsed kinds can miss; the others take any text) is kept as it was.
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('legacyText', "detail")
            WHERE "detail" IS NOT NULL AND "values" = '{}' AND "kind" IN ('PROPOSAL_STATUS_CHANGED', 'HEARING_RESCHEDULED', 'WAITLIST_PROMOTED')
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_build_object('hearing', h."title") || n."values"
            FROM "hearings" h
            WHERE h."id" = n."hearing_id" AND (n."kind" LIKE 'HEARING\\_%' OR n."kind" = 'WAITLIST_PROMOTED')
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "detail"
        `);

        await queryRunner.query(`
            ALTER TABLE "proposal_transitions"
            ADD "note_message" jsonb
        `);
        const transitions: { id: string; note: string }[] = await queryRunner.query(`SELECT "id", "note" FROM "proposal_transitions" WHERE "note" IS NOT NULL`);
        for (const { id, note } of transitions) {
            const message = systemNote(note);
            if (message) await queryRunner.query(`UPDATE "proposal_transitions" SET "note" = NULL, "note_message" = $2 WHERE "id" = $1`, [id, JSON.stringify(message)]);
        }
        const notes: { id: string; note: string }[] = await queryRunner.query(`SELECT "id", "values"->>'note' AS "note" FROM "notifications" WHERE jsonb_typeof("values"->'note') = 'string'`);
        for (const { id, note } of notes) {
            const message = systemNote(note);
            if (message) await queryRunner.query(`UPDATE "notifications" SET "values" = jsonb_set("values", '{note}', $2::jsonb) WHERE "id" = $1`, [id, JSON.stringify(message)]);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        const transitions: { id: string; message: Message }[] = await queryRunner.query(`SELECT "id", "note_message" AS "message" FROM "proposal_transitions" WHERE "note_message" IS NOT NULL`);
        for (const { id, message } of transitions) await queryRunner.query(`UPDATE "proposal_transitions" SET "note" = left($2, 1000) WHERE "id" = $1`, [id, englishNote(message)]);
        await queryRunner.query(`
            ALTER TABLE "proposal_transitions" DROP COLUMN "note_message"
        `);
        const notes: { id: string; message: Message }[] = await queryRunner.query(`SELECT "id", "values"->'note' AS "message" FROM "notifications" WHERE jsonb_typeof("values"->'note') = 'object'`);
        for (const { id, message } of notes) await queryRunner.query(`UPDATE "notifications" SET "values" = jsonb_set("values", '{note}', to_jsonb($2::text)) WHERE "id" = $1`, [id, englishNote(message)]);
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "detail" character varying(1000)
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "detail" = left(coalesce(
                "values"->>'legacyText',
                CASE "kind"
                    WHEN 'PROPOSAL_STATUS_CHANGED' THEN ("values"->>'from') || ' → ' || ("values"->>'to') || coalesce(': ' || CASE WHEN jsonb_typeof("values"->'note') = 'string' THEN "values"->>'note' END, '')
                    WHEN 'HEARING_OPENED' THEN "values"->>'place'
                    WHEN 'HEARING_RESCHEDULED' THEN ("values"->>'startsAt') || ' – ' || ("values"->>'endsAt') || coalesce(', ' || ("values"->>'place'), '')
                    WHEN 'HEARING_AGENDA_CHANGED' THEN (SELECT string_agg(item, ' · ') FROM jsonb_array_elements_text("values"->'agenda') AS item)
                    WHEN 'WAITLIST_PROMOTED' THEN 'A seat came free at “' || ("values"->>'hearing') || '”'
                    ELSE "values"->>'reason'
                END
            ), 1000)
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "values"
        `);
    }
}
