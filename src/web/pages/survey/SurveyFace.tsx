/**
 * The public survey pages, one lazily loaded chunk: a respondent loads the questionnaire renderer
 * and these pages only (no patient, GP or research code), under the page frame without login.
 */
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../NotFoundPage.js';
import AnonymousSurveyPage from './AnonymousSurveyPage.js';
import SurveyOptOutPage from './SurveyOptOutPage.js';
import SurveyRespondPage from './SurveyRespondPage.js';

export default function SurveyFace() {
  return (
    <Routes>
      <Route path="svar" element={<SurveyRespondPage />} />
      <Route path="avmeld" element={<SurveyOptOutPage />} />
      <Route path=":slug" element={<AnonymousSurveyPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
