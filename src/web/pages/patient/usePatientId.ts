import { createContext, useContext } from 'react';

/** The signed-in patient's id, provided once by the patient face. */
export const PatientIdContext = createContext<string | null>(null);

export function usePatientId(): string {
  const id = useContext(PatientIdContext);
  if (!id) throw new Error('usePatientId must be used inside the patient face');
  return id;
}
