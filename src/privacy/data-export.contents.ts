import { EntityManager } from 'typeorm';

/**
 * What an export holds, section by section: each a query over the rows of one account (`$1`), as JSON
 * objects with the table's columns (snake_case, raw ids). Columns that name someone else (who reviewed,
 * who moderated, who caused a notification) and secrets (password and token hashes) are left out: the
 * file is about its owner and nobody else. A secret ballot is not in it at all: the server cannot tell
 * whose it is, so only the rounds the account took part in are listed.
 *
 * A table added later that holds rows about an account belongs here too (README, Security).
 */
export const EXPORT_SECTIONS: Record<string, string> = {
  profile: `SELECT to_jsonb(u) - 'password_hash' AS row FROM users u WHERE u.id = $1`,
  hostAppointments: `SELECT to_jsonb(h) - 'appointed_by' AS row FROM host_appointments h WHERE h.user_id = $1 ORDER BY h.appointed_at`,
  residencyRequests: `SELECT to_jsonb(r) - 'reviewed_by' AS row FROM residencies r WHERE r.user_id = $1 ORDER BY r.created_at`,
  proposals: `SELECT to_jsonb(p) - 'search_tokens' - 'search_text' AS row FROM proposals p WHERE p.author_id = $1 ORDER BY p.created_at`,
  proposalRevisions: `SELECT to_jsonb(r) - 'editor_id' AS row FROM proposal_revisions r WHERE r.editor_id = $1 ORDER BY r.created_at`,
  proposalProgressUpdates: `SELECT to_jsonb(g) AS row FROM proposal_progress_updates g WHERE g.author_id = $1 ORDER BY g.created_at`,
  coSponsorships: `SELECT to_jsonb(s) AS row FROM proposal_sponsors s WHERE s.user_id = $1 ORDER BY s.invited_at`,
  endorsements: `SELECT to_jsonb(e) AS row FROM proposal_endorsements e WHERE e.user_id = $1 ORDER BY e.created_at`,
  comments: `SELECT to_jsonb(c) || jsonb_build_object('edits',
               coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.edited_at) FROM comment_edits e WHERE e.comment_id = c.id), '[]'::jsonb)) AS row
               FROM comments c WHERE c.author_id = $1 ORDER BY c.created_at`,
  commentReactions: `SELECT to_jsonb(r) AS row FROM comment_reactions r WHERE r.user_id = $1 ORDER BY r.created_at`,
  commentFlags: `SELECT to_jsonb(f) AS row FROM comment_flags f WHERE f.user_id = $1 ORDER BY f.created_at`,
  hearingRegistrations: `SELECT to_jsonb(r) AS row FROM hearing_registrations r WHERE r.user_id = $1 ORDER BY r.created_at`,
  speakerRequests: `SELECT to_jsonb(s) AS row FROM hearing_speaker_requests s WHERE s.user_id = $1 ORDER BY s.requested_at`,
  hearingStatements: `SELECT to_jsonb(s) - 'recorded_by' AS row FROM hearing_statements s WHERE s.speaker_id = $1 ORDER BY s.started_at`,
  hearingQuestions: `SELECT to_jsonb(q) AS row FROM hearing_questions q WHERE q.author_id = $1 ORDER BY q.created_at`,
  questionUpvotes: `SELECT to_jsonb(v) AS row FROM hearing_question_upvotes v WHERE v.user_id = $1`,
  // Rounds taken part in; the choices only of open (non-secret) rounds, whose ballots carry their voter.
  votingRounds: `SELECT jsonb_build_object('round_id', v.id, 'title', v.title, 'district_code', v.district_code, 'secret', v.secret, 'closes_at', v.closes_at,
                   'open_ballot', (SELECT jsonb_build_object('choices', b.choices, 'receipt_hash', b.receipt_hash)
                                     FROM ballots b WHERE b.round_id = v.id AND b.voter_id = $1 AND NOT v.secret)) AS row
                   FROM voting_participations p JOIN voting_rounds v ON v.id = p.round_id WHERE p.voter_id = $1 ORDER BY v.opens_at, v.id`,
  // Questionnaires answered; the answers only of NAMED ones, whose responses carry their respondent (an
  // ANONYMOUS response is stored apart from who gave it, as a secret ballot is). Who hid an answer is left out.
  questionnaires: `SELECT jsonb_build_object('questionnaire_id', q.id, 'title_th', q.title_th, 'title_en', q.title_en, 'district_code', q.district_code, 'anonymity', q.anonymity,
                     'named_response', (SELECT jsonb_build_object('submitted_at', r.submitted_at, 'changed_at', r.changed_at, 'answers',
                         coalesce((SELECT jsonb_agg(jsonb_build_object('question_id', a.question_id, 'option_id', a.option_id, 'rank', a.rank, 'number_value', a.number_value,
                                                                        'text_value', a.text_value, 'hidden', a.hidden, 'hidden_reason', a.hidden_reason) ORDER BY a.question_id, a.rank, a.option_id)
                                   FROM questionnaire_answers a WHERE a.response_id = r.id), '[]'::jsonb))
                        FROM questionnaire_responses r WHERE r.questionnaire_id = q.id AND r.respondent_id = $1 AND q.anonymity = 'NAMED')) AS row
                   FROM questionnaire_participations p JOIN questionnaires q ON q.id = p.questionnaire_id WHERE p.account_id = $1 ORDER BY q.created_at, q.id`,
  // Reports the account made; the staff who filed or handled them are left out (see above), and a caller's contact is never the account's.
  reports: `SELECT to_jsonb(r) - 'filed_by_id' - 'caller_name' - 'caller_phone' - 'search_text' AS row FROM reports r WHERE r.reporter_id = $1 ORDER BY r.created_at`,
  // The photos it uploaded, described (the files are served at /photos/<id> while attached or its own).
  photos: `SELECT to_jsonb(p) AS row FROM photos p WHERE p.owner_id = $1 ORDER BY p.uploaded_at`,
  reportSupports: `SELECT to_jsonb(s) AS row FROM report_supports s WHERE s.user_id = $1 ORDER BY s.report_id`,
  // A district's own report targets the account set, as a host of that district.
  reportTargetsSet: `SELECT to_jsonb(t) AS row FROM report_district_targets t WHERE t.set_by_id = $1 ORDER BY t.updated_at`,
  notifications: `SELECT to_jsonb(n) - 'actor_id' AS row FROM notifications n WHERE n.user_id = $1 ORDER BY n.created_at`,
  sessions: `SELECT to_jsonb(t) - 'token_hash' AS row FROM refresh_tokens t WHERE t.user_id = $1 ORDER BY t.created_at`,
  passwordResets: `SELECT to_jsonb(r) - 'token_hash' AS row FROM password_reset_tokens r WHERE r.user_id = $1 ORDER BY r.created_at`,
  hearingReminders: `SELECT to_jsonb(r) AS row FROM hearing_reminders r WHERE r.user_id = $1 ORDER BY r.hearing_id`,
  // The districts the account follows, and what it chose to hear of them (src/following).
  districtFollows: `SELECT to_jsonb(f) AS row FROM district_follows f WHERE f.user_id = $1 ORDER BY f.district_code`,
  consents: `SELECT to_jsonb(a) AS row FROM terms_acceptances a WHERE a.user_id = $1 ORDER BY a.accepted_at`,
  dataExports: `SELECT to_jsonb(x) - 'token_hash' - 'content' AS row FROM data_exports x WHERE x.user_id = $1 ORDER BY x.requested_at`,
  // What the account did, as the audit trail records it; what it acted on is left out (it may be someone else).
  auditTrail: `SELECT jsonb_build_object('action', a.action, 'outcome', a.outcome, 'error_code', a.error_code, 'district_code', a.district_code, 'created_at', a.created_at) AS row
                 FROM audit_entries a WHERE a.actor_id = $1 ORDER BY a.created_at, a.id`,
};

/** The whole export of an account, as the JSON file's object. */
export async function exportContents(em: EntityManager, userId: string, now: Date): Promise<Record<string, unknown>> {
  const file: Record<string, unknown> = { format: 'district-participation-data-export/1', exportedAt: now.toISOString(), userId };
  for (const [section, sql] of Object.entries(EXPORT_SECTIONS)) {
    const rows: { row: unknown }[] = await em.query(sql, [userId]);
    file[section] = section === 'profile' ? (rows[0]?.row ?? null) : rows.map((r) => r.row);
  }
  return file;
}
