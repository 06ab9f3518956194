/**
 * The FHIR API's request and response shapes (issue 16). Resources are checked against the FHIR
 * R4 definitions in the tests (@medplum/core validateResource); here a response is a FHIR
 * resource (it names its resourceType), and a search query takes exactly the parameters of the
 * capability table (domain/fhir/capability.ts): an unknown parameter is refused, naming it.
 */
import { Type, type TObject, type TSchema } from 'typebox';
import { COMMON_SEARCH_PARAMS, FHIR_RESOURCES, type ResourceCapability } from '../domain/fhir/capability.js';

export const FhirResource = Type.Object(
  { resourceType: Type.String({ minLength: 1 }), id: Type.Optional(Type.String()) },
  { additionalProperties: true }
);

/** A logical id as FHIR defines it: [A-Za-z0-9\-\.]{1,64}. */
export const FhirIdParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' }) },
  { additionalProperties: false }
);

const value = Type.String({ minLength: 1, maxLength: 256 });
const repeated = Type.Union([value, Type.Array(value, { minItems: 1, maxItems: 4 })]);

function searchQueryOf(resource: ResourceCapability): TObject {
  const properties: Record<string, TSchema> = {};
  for (const p of resource.search) properties[p.name] = Type.Optional(p.repeats ? repeated : value);
  for (const p of COMMON_SEARCH_PARAMS) properties[p.name] = Type.Optional(value);
  // Patterns here, numbers after: the query string is text and values are not coerced.
  properties._count = Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' }));
  properties._offset = Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' }));
  if (resource.sort) {
    properties._sort = Type.Optional(
      Type.Union(resource.sort.flatMap((s) => [Type.Literal(s), Type.Literal(`-${s}`)]))
    );
  }
  return Type.Object(properties, { additionalProperties: false });
}

/** Per resource type, the query schema of its search. */
export const FHIR_SEARCH_QUERIES = Object.fromEntries(
  FHIR_RESOURCES.map((r) => [r.type, searchQueryOf(r)])
) as Record<ResourceCapability['type'], TObject>;
