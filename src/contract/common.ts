/** Building blocks of the API contract, shared by every area (server and web). */
import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
