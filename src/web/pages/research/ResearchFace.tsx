/** The researcher's pages, one lazily loaded chunk: the overview and registry analysis, and each survey's page. */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../NotFoundPage.js';
import { ResearchPage } from './ResearchPage.js';
import { PracticePosterPage } from './surveys/PracticePosterPage.js';
import { SurveyDetailPage } from './surveys/SurveyDetailPage.js';
import './surveys/i18n.js';

export default function ResearchFace() {
  return (
    <Routes>
      <Route index element={<ResearchPage />} />
      <Route path="surveys/:surveyId" element={<SurveyDetailPage />} />
      <Route path="surveys/:surveyId/practice-links/:slug/poster" element={<PracticePosterPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
