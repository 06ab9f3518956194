/**
 * A Word transcript (.docx) as plain text: mammoth extracts the paragraphs' text (one paragraph per
 * line, a blank line between paragraphs), and the plain-text transcript parser finds the speakers.
 * A file that is not a .docx (not a zip, no word/document.xml) is a TranscriptError naming
 * `file`, like any other unreadable transcript.
 */
import mammoth from 'mammoth';
import { parsePlainText, TranscriptError, type Transcript } from '../../domain/qualitative/transcript.js';

/** The first bytes of every zip archive (a .docx is one). */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readDocxTranscript(bytes: Uint8Array): Promise<Transcript> {
  if (bytes.length < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new TranscriptError('file', 'is not a Word document (.docx): it is not a zip archive');
  }
  let raw: string;
  try {
    raw = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable';
    throw new TranscriptError('file', `is not a readable Word document (.docx): ${why}`);
  }
  // a document without any text is refused there ("text: is empty: no speech found")
  return parsePlainText(raw);
}
