/**
 * Everything the GP sees, loaded as one chunk when a GP signs in (a patient never downloads it):
 * the worklist (start page), the patient list and patient pages, the follow-up card, the module
 * manual and the module as the patient sees it, the practice, caseload and results pages, and the sources
 * of the fee codes. Its styles (gp.css) and words (locales/) load with it.
 */
import './i18n.js';
// First, so that the pages' own sheets come after the face's shared rules.
import './gp.css';
import { Route, Routes } from 'react-router';
import { GpPatientListPage } from './GpPatientListPage.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { FollowUpCardPage } from './card/FollowUpCardPage.js';
import { CaseloadPage } from './CaseloadPage.js';
import { FeeCodesPage } from './FeeCodesPage.js';
import { ManualPage } from './ManualPage.js';
import { StaffMessagesPage } from './messages/StaffMessagesPage.js';
import { ModulePreviewPage } from './ModulePreviewPage.js';
import { OutcomesPage } from './OutcomesPage.js';
import { PatientPage } from './PatientPage.js';
import { PracticePage } from './PracticePage.js';
import { WorklistPage } from './WorklistPage.js';
import { patientPagePath } from './paths.js';

export default function GpFace() {
  return (
    <Routes>
      <Route index element={<WorklistPage />} />
      <Route path="patients" element={<GpPatientListPage />} />
      <Route path="patients/:patientId" element={<PatientPage />} />
      <Route path="patients/:patientId/follow-ups/:followUpId" element={<FollowUpCardPage />} />
      <Route path="patients/:patientId/messages" element={<StaffMessagesPage backTo={patientPagePath} />} />
      <Route path="manual/:moduleId" element={<ManualPage />} />
      <Route path="manual/:moduleId/patient-view" element={<ModulePreviewPage />} />
      <Route path="practice" element={<PracticePage />} />
      <Route path="caseload" element={<CaseloadPage />} />
      <Route path="results" element={<OutcomesPage />} />
      <Route path="fee-codes" element={<FeeCodesPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
