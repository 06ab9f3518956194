import type { FastifyReply } from 'fastify';

/** A .docx download: never cached, always saved as a file (the name is made safe by the caller). */
export function sendWord(reply: FastifyReply, file: { fileName: string; bytes: Uint8Array }) {
  return reply
    .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(file.bytes));
}
