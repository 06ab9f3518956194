/**
 * The researcher's pages, one lazily loaded chunk: the overview and registry analysis, each
 * survey's page, and the qualitative studies.
 */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../NotFoundPage.js';
import { AgreementPage } from './qualitative/AgreementPage.js';
import { CodebookPage } from './qualitative/CodebookPage.js';
import { TranscriptPage } from './qualitative/CodingPage.js';
import { FrameworkPage } from './qualitative/FrameworkPage.js';
import {
  QualitativeSharePage,
  QualitativeStudiesPage,
  QualitativeStudyPage,
} from './qualitative/QualitativePages.js';
import { ReviewPage } from './qualitative/ReviewPage.js';
import { StcPage } from './qualitative/StcPage.js';
import { ThematicPage } from './qualitative/ThematicPage.js';
import { PlatformOutcomesPage } from './PlatformOutcomesPage.js';
import { ResearchPage } from './ResearchPage.js';
import { PracticePosterPage } from './surveys/PracticePosterPage.js';
import { SurveyDetailPage } from './surveys/SurveyDetailPage.js';
import './surveys/i18n.js';
import './qualitative/i18n.js';

export default function ResearchFace() {
  return (
    <Routes>
      <Route index element={<ResearchPage />} />
      <Route path="outcomes" element={<PlatformOutcomesPage />} />
      <Route path="surveys/:surveyId" element={<SurveyDetailPage />} />
      <Route path="qualitative" element={<QualitativeStudiesPage />} />
      <Route path="qualitative/:studyId" element={<QualitativeStudyPage />} />
      <Route path="qualitative/:studyId/sources/:sourceId" element={<TranscriptPage />} />
      <Route path="qualitative/:studyId/sources/:sourceId/review" element={<ReviewPage />} />
      <Route path="qualitative/:studyId/agreement" element={<AgreementPage />} />
      <Route path="qualitative/:studyId/codebook" element={<CodebookPage />} />
      <Route path="qualitative/:studyId/stc/:analysisId" element={<StcPage />} />
      <Route path="qualitative/:studyId/framework/:analysisId" element={<FrameworkPage />} />
      <Route path="qualitative/:studyId/thematic/:analysisId" element={<ThematicPage />} />
      <Route path="qualitative/:studyId/shares/:shareId" element={<QualitativeSharePage />} />
      <Route path="surveys/:surveyId/practice-links/:slug/poster" element={<PracticePosterPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
