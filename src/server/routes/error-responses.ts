import { Type, type TObject, type TString } from 'typebox';

/** The statuses of the `{"detail"}` answers of the sync API, with what each means (the OpenAPI text). */
const ERROR_MEANINGS = {
  400: 'Malformed request: a header, path or query parameter fails its schema, or the body is not JSON',
  401: 'Missing, malformed or wrong bearer token',
  404: 'Nothing is stored for this key (an unknown Open2FA ID or item)',
  409: 'Conflict: a full quota, or (v2) a stale base revision',
  413: 'The body is larger than 1 MiB',
  415: 'A body of another media type than application/json',
  422: 'The body fails its schema, or has a key named __proto__, constructor or prototype',
  428: 'If-Match is missing',
  431: 'The request head (URL and headers) is larger than the limit (16 KiB unless configured)',
  429: 'Too many requests, or too many failed lookups, from this address; see Retry-After',
  503: 'The database is unavailable; see Retry-After',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANINGS;

export type ErrorResponses<Statuses extends ErrorStatus> = Record<Statuses, TObject<{ detail: TString }>>;

/**
 * The error answers of one route, each documented with what it means. List only the statuses the route
 * really answers: the OpenAPI document is generated from these, and the conformance test holds every
 * answer to them.
 */
export function errorResponses<const Statuses extends ErrorStatus>(
  ...statuses: readonly Statuses[]
): ErrorResponses<Statuses> {
  return Object.fromEntries(
    statuses.map((status) => [status, Type.Object({ detail: Type.String() }, { description: ERROR_MEANINGS[status] })]),
  ) as ErrorResponses<Statuses>;
}

/** The answers of a route that takes a JSON body, besides its own: parsing and size errors. */
export const BODY_ERRORS = [413, 415, 422] as const;

/** Every route of the sync API can be rate limited and can meet an unavailable database. */
export const API_ERRORS = [429, 503] as const;
