/**
 * The qualitative workspace's pure domain (docs/qualitative.md): transcripts and their parsers,
 * de-identification proposals and the offset map, inter-coder agreement, the codebook and its
 * reorganisations, systematic text condensation and the framework matrix. No I/O.
 */
export * from './transcript.js';
export * from './deidentify.js';
export { FIRST_NAMES, MUNICIPALITIES, OTHER_PLACES, SURNAMES } from './deidentify-names.js';
export * from './agreement.js';
export * from './codebook.js';
export * from './stc.js';
export * from './framework.js';
export * from './offset-remap.js';
