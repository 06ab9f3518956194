/**
 * Every stored questionnaire response gets all its FHIR Observations (issue 11 §7): a new column
 * `fhir_observations`, a JSON array, the total first. For PHQ-9 that is the total (44261-6) as a
 * panel whose `hasMember` references item 9 (44260-8) as its own Observation; GAD-7 and WSAS have
 * their total alone. Ids are `<response id>-total` and `<response id>-item9`, so the relative
 * references (`Observation/<id>`) resolve inside the array (domain/instruments/fhir.ts).
 *
 * The old column `fhir_observation` (one Observation) is kept, not dropped: readers elsewhere still
 * use it, and dropping it in the same step would break them. From here on it always holds the first
 * element of `fhir_observations` (the total, for PHQ-9 the panel); it can be dropped once nothing
 * reads it.
 *
 * Backfill, in SQL so it does not change when the domain code does (it writes what
 * domain/instruments/phq9-fhir.ts responseObservations wrote on 2026-12-04):
 *   1. rows stored before the total Observation was written (early demo rows) get it, built from
 *      the score columns exactly as the domain builds it;
 *   2. every row with a total gets `fhir_observations`: the total with its id, and for PHQ-9 the
 *      hasMember reference plus the item-9 Observation (the answer's LOINC code from item9_score,
 *      subject, time, performer and derivedFrom copied from the total; no interpretation: the
 *      answer is recorded, never graded as a risk);
 *   3. `fhir_observation` is set to the first element, so the two columns agree.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table questionnaire_responses add column fhir_observations jsonb
      constraint questionnaire_responses_fhir_observations_array
      check (fhir_observations is null or jsonb_typeof(fhir_observations) = 'array');

    update questionnaire_responses set fhir_observation = jsonb_build_object(
      'resourceType', 'Observation',
      'status', 'final',
      'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
        'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', 'survey')))),
      'code', jsonb_build_object('coding', jsonb_build_array(case instrument
        when 'phq9' then jsonb_build_object('system', 'http://loinc.org', 'code', '44261-6',
          'display', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]')
        when 'gad7' then jsonb_build_object('system', 'http://loinc.org', 'code', '70274-6',
          'display', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]')
        else jsonb_build_object('system', 'https://gp-dep.example/fhir/CodeSystem/wsas', 'code', 'total',
          'display', 'Work and Social Adjustment Scale total score')
      end)),
      'subject', jsonb_build_object('reference', 'Patient/' || patient_id::text),
      'performer', jsonb_build_array(jsonb_build_object('reference', 'Patient/' || patient_id::text)),
      'effectiveDateTime', to_char(answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'valueQuantity', jsonb_build_object('value', total_score, 'system', 'http://unitsofmeasure.org',
        'code', '{score}', 'unit', '{score}'),
      'interpretation', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
        'system', 'https://gp-dep.example/fhir/CodeSystem/score-band', 'code', severity)), 'text', severity)),
      'derivedFrom', jsonb_build_array(jsonb_build_object('reference', 'QuestionnaireResponse/' || id::text))
    )
    where fhir_observation is null or jsonb_typeof(fhir_observation) <> 'object';

    update questionnaire_responses set fhir_observations = case
      when instrument = 'phq9' and item9_score is not null then jsonb_build_array(
        fhir_observation || jsonb_build_object(
          'id', id::text || '-total',
          'hasMember', jsonb_build_array(jsonb_build_object('reference', 'Observation/' || id::text || '-item9'))),
        jsonb_strip_nulls(jsonb_build_object(
          'resourceType', 'Observation',
          'id', id::text || '-item9',
          'status', 'final',
          'category', fhir_observation -> 'category',
          'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
            'system', 'http://loinc.org', 'code', '44260-8',
            'display', 'Thoughts that you would be better off dead, or of hurting yourself in some way'))),
          'subject', fhir_observation -> 'subject',
          'performer', fhir_observation -> 'performer',
          'effectiveDateTime', fhir_observation -> 'effectiveDateTime',
          'valueCodeableConcept', jsonb_build_object('coding', jsonb_build_array(case item9_score
            when 0 then jsonb_build_object('system', 'http://loinc.org', 'code', 'LA6568-5', 'display', 'Not at all')
            when 1 then jsonb_build_object('system', 'http://loinc.org', 'code', 'LA6569-3', 'display', 'Several days')
            when 2 then jsonb_build_object('system', 'http://loinc.org', 'code', 'LA6570-1',
              'display', 'More than half the days')
            else jsonb_build_object('system', 'http://loinc.org', 'code', 'LA6571-9', 'display', 'Nearly every day')
          end)),
          'derivedFrom', fhir_observation -> 'derivedFrom')))
      else jsonb_build_array(fhir_observation || jsonb_build_object('id', id::text || '-total'))
    end;

    update questionnaire_responses set fhir_observation = fhir_observations -> 0;
  `.execute(db);
}

/** Drops the new column; `fhir_observation` keeps the total, without a member it no longer stores. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table questionnaire_responses drop column if exists fhir_observations;
    update questionnaire_responses set fhir_observation = fhir_observation - 'hasMember'
      where jsonb_typeof(fhir_observation) = 'object';
  `.execute(db);
}
