/** The GP face's URLs, in one place. */
export const patientPagePath = (patientId: string) => `/gp/patients/${encodeURIComponent(patientId)}`;

export const cardPath = (patientId: string, followUpId: string) =>
  `${patientPagePath(patientId)}/follow-ups/${encodeURIComponent(followUpId)}`;

export const manualPath = (moduleId: string) => `/gp/manual/${encodeURIComponent(moduleId)}`;

export const patientViewPath = (moduleId: string) => `${manualPath(moduleId)}/patient-view`;

/** The patient's messages and shared exercises (issue 17); `#thread-<id>` opens at one thread. */
export const messagesPath = (patientId: string, threadId?: string) =>
  `${patientPagePath(patientId)}/messages${threadId ? `#thread-${encodeURIComponent(threadId)}` : ''}`;
