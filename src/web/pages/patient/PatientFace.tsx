/**
 * Everything the patient sees, loaded as one chunk when a patient signs in: home, the program
 * overview, module pages, the workbook, messages with the care team and the GAD-7 and WSAS forms. The PHQ-9 form and the
 * crisis panel are in this chunk, so once it is loaded they need no network.
 */
import { Route, Routes } from 'react-router';
import { useUser } from '../../app/session.js';
import { LoadError } from '../../components/LoadError.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { Gad7Page } from './measures/Gad7Page.js';
import { WsasPage } from './measures/WsasPage.js';
import { MessagesPage } from './messages/MessagesPage.js';
import { ModulePage } from './module/ModulePage.js';
import { PatientHomePage } from './PatientHomePage.js';
import { ProgramOverviewPage } from './ProgramOverviewPage.js';
import { PatientIdContext } from './usePatientId.js';
import { WorkbookPage } from './workbook/WorkbookPage.js';
import './patient.css';

export default function PatientFace() {
  const user = useUser();
  if (!user.patientId) return <LoadError error={null} onRetry={() => location.reload()} />;
  return (
    <PatientIdContext.Provider value={user.patientId}>
      <Routes>
        <Route index element={<PatientHomePage />} />
        <Route path="program" element={<ProgramOverviewPage />} />
        <Route path="program/:moduleId" element={<ModulePage />} />
        <Route path="workbook" element={<WorkbookPage />} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="measure/gad7" element={<Gad7Page />} />
        <Route path="measure/wsas" element={<WsasPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </PatientIdContext.Provider>
  );
}
