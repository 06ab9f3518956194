import { MODULE_IDS } from '../../../../domain/program/progress.js';
import type { ModuleId } from '../../../api/client.js';

export function isModuleId(value: string | undefined | null): value is ModuleId {
  return MODULE_IDS.some((id) => id === value);
}

export const MODULE_COUNT = MODULE_IDS.length;
