/** A worker thread that fits its share of the mixed models (see fitGpModelsInParallel). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnTable } from '../stats/glmm/design.js';
import { fitGpModelsOnTable, type GpModelRequest } from './gp-models.js';

const { table, requests } = workerData as { table: ColumnTable; requests: GpModelRequest[] };
parentPort?.postMessage(fitGpModelsOnTable(table, requests));
