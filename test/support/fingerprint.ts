import { Client } from 'pg';

/** The tables a mutation of the domain may write (accounts and sessions aside). */
export const DOMAIN_TABLES = [
  'host_appointments',
  'residencies',
  'districts',
  'proposals',
  'proposal_transitions',
  'proposal_revisions',
  'proposal_sponsors',
  'proposal_endorsements',
  'proposal_progress_updates',
  'proposal_report_citations',
  'comments',
  'comment_edits',
  'comment_reactions',
  'comment_flags',
  'comment_moderations',
  'notifications',
  'hearings',
  'hearing_agenda_items',
  'hearing_registrations',
  'hearing_speaker_requests',
  'hearing_statements',
  'hearing_questions',
  'hearing_question_upvotes',
  'voting_rounds',
  'voting_options',
  'voting_participations',
  'ballots',
  'replaced_receipts',
  'tally_shards',
  'live_tallies',
  'report_categories',
  'reports',
  'report_transitions',
  'report_supports',
  'report_photos',
  'report_district_targets',
  'report_breaches',
  'report_transition_photos',
  'photos',
  'open311_keys',
  'questionnaires',
  'questionnaire_sections',
  'questionnaire_questions',
  'questionnaire_options',
  'questionnaire_participations',
  'questionnaire_responses',
  'questionnaire_replaced_receipts',
  'questionnaire_answers',
];

/** Row count and a digest of every row, per table: equal fingerprints mean nothing was written. */
export async function tableFingerprint(db: Client, tables: readonly string[]): Promise<Record<string, string>> {
  const columns = tables.map((t) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM ${t} r) AS ${t}`);
  return (await db.query(`SELECT ${columns.join(', ')}`)).rows[0];
}
