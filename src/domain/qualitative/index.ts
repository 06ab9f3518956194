/**
 * The qualitative workspace's pure domain (docs/qualitative.md): transcripts and their parsers,
 * de-identification proposals and the offset map, inter-coder agreement. No I/O.
 */
export * from './transcript.js';
export * from './deidentify.js';
export { FIRST_NAMES, MUNICIPALITIES, OTHER_PLACES, SURNAMES } from './deidentify-names.js';
export * from './agreement.js';
