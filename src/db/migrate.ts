/** Runs the one set of migrations (PGlite and PostgreSQL alike). */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as foundation from './migrations/2026_11_23_0001_foundation.js';
import * as program from './migrations/2026_11_23_0002_program.js';
import * as followup from './migrations/2026_11_23_0003_followup.js';
import * as accountRecovery from './migrations/2026_12_04_0001_account_recovery.js';
import * as idempotencyBinding from './migrations/2026_12_04_0003_idempotency_binding.js';
import * as urgentCases from './migrations/2026_12_04_0006_urgent_cases.js';
import * as suitabilityChecklist from './migrations/2026_12_04_0007_suitability_checklist.js';
import * as patientNoteRead from './migrations/2026_12_04_0008_patient_note_read.js';
import * as loginDevices from './migrations/2026_12_04_0009_login_devices.js';
import * as fhirObservations from './migrations/2026_12_04_0011_fhir_observations.js';
import * as notificationTestPurpose from './migrations/2026_12_04_0012_notification_test_purpose.js';
import * as moduleEarlyOpenings from './migrations/2026_12_04_0013_module_early_openings.js';
import * as surveys from './migrations/2026_12_04_0014_surveys.js';
import * as qualitative from './migrations/2026_12_05_0015_qualitative.js';
import * as qualitativeStc from './migrations/2026_12_05_0017_qualitative_stc.js';
import * as qualitativeCoding from './migrations/2026_12_05_0018_qualitative_coding.js';
import * as qualitativeSearchLanguage from './migrations/2026_12_05_0019_qualitative_search_language.js';
import * as qualitativeMethods from './migrations/2026_12_05_0020_qualitative_methods.js';
import * as qualitativeRefiImport from './migrations/2026_12_05_0021_qualitative_refi_import.js';
import * as fhirIdentifiers from './migrations/2026_12_05_0022_fhir_identifiers.js';
import * as oidcLoginAttempts from './migrations/2026_12_05_0023_oidc_login_attempts.js';
import * as smartLaunch from './migrations/2026_12_05_0024_smart_launch.js';
import * as secondFactors from './migrations/2026_12_05_0025_second_factors.js';
import * as oidcSessions from './migrations/2026_12_05_0026_oidc_sessions.js';
import * as emergencyAccess from './migrations/2026_12_05_0027_emergency_access.js';
import * as messages from './migrations/2026_12_05_0028_messages.js';
import * as patientEducation from './migrations/2026_12_05_0029_patient_education.js';
import * as simulationRuns from './migrations/2026_12_05_0031_simulation_runs.js';
import * as auditBatchedChain from './migrations/2026_12_06_0032_audit_batched_chain.js';
import * as reminderSentOnce from './migrations/2026_12_06_0033_reminder_sent_once.js';
import * as rateLimitCounters from './migrations/2026_12_06_0034_rate_limit_counters.js';

/** Listed explicitly (not read from disk) so the compiled server and the tests see the same set. */
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_23_0001_foundation': foundation,
  '2026_11_23_0002_program': program,
  '2026_11_23_0003_followup': followup,
  '2026_12_04_0001_account_recovery': accountRecovery,
  '2026_12_04_0003_idempotency_binding': idempotencyBinding,
  '2026_12_04_0006_urgent_cases': urgentCases,
  '2026_12_04_0007_suitability_checklist': suitabilityChecklist,
  '2026_12_04_0008_patient_note_read': patientNoteRead,
  '2026_12_04_0009_login_devices': loginDevices,
  '2026_12_04_0011_fhir_observations': fhirObservations,
  '2026_12_04_0012_notification_test_purpose': notificationTestPurpose,
  '2026_12_04_0013_module_early_openings': moduleEarlyOpenings,
  '2026_12_04_0014_surveys': surveys,
  '2026_12_05_0015_qualitative': qualitative,
  '2026_12_05_0017_qualitative_stc': qualitativeStc,
  '2026_12_05_0018_qualitative_coding': qualitativeCoding,
  '2026_12_05_0019_qualitative_search_language': qualitativeSearchLanguage,
  '2026_12_05_0020_qualitative_methods': qualitativeMethods,
  '2026_12_05_0021_qualitative_refi_import': qualitativeRefiImport,
  '2026_12_05_0022_fhir_identifiers': fhirIdentifiers,
  '2026_12_05_0023_oidc_login_attempts': oidcLoginAttempts,
  '2026_12_05_0024_smart_launch': smartLaunch,
  '2026_12_05_0025_second_factors': secondFactors,
  '2026_12_05_0026_oidc_sessions': oidcSessions,
  '2026_12_05_0027_emergency_access': emergencyAccess,
  '2026_12_05_0028_messages': messages,
  '2026_12_05_0029_patient_education': patientEducation,
  '2026_12_05_0031_simulation_runs': simulationRuns,
  '2026_12_06_0032_audit_batched_chain': auditBatchedChain,
  '2026_12_06_0033_reminder_sent_once': reminderSentOnce,
  '2026_12_06_0034_rate_limit_counters': rateLimitCounters,
};

/** The names of every migration this build knows: readiness checks the database holds them all. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(MIGRATIONS);

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this version knows, in order (db:restore refuses a backup from a newer one). */
export function knownMigrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort();
}
