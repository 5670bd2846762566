/**
 * The studio's domain errors: each says what went wrong, never an HTTP status. The one route wrapper
 * (lib/http/handler.ts) maps them to statuses with `instanceof`: not found 404, conflict 409,
 * invalid input 400, busy 429, unavailable 503; anything else is a 500.
 */
export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    message: string,
    /** Structured detail for the answer (e.g. zod issues), shown beside the message. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A named thing (environment, trajectory, version...) does not exist. */
export class NotFoundError extends DomainError {
  override name = "NotFoundError";
}

/** The thing exists but is in a state that refuses this (a finished playtest, a running instance). */
export class ConflictError extends DomainError {
  override name = "ConflictError";
}

/** The request itself is wrong: a malformed value, an unknown name of a fixed set. */
export class InvalidInputError extends DomainError {
  override name = "InvalidInputError";
}

/** A limit is reached for now (too many instances or jobs): try again later. */
export class BusyError extends DomainError {
  override name = "BusyError";
}

/** Something the request needs cannot be had on this machine or right now (a sandbox, a model). */
export class UnavailableError extends DomainError {
  override name = "UnavailableError";
}

/** The message of anything thrown: an Error's message, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** For `.catch`: undefined when the thing was not found; any other error goes on. */
export function undefinedIfNotFound(error: unknown): undefined {
  if (error instanceof NotFoundError) return undefined;
  throw error;
}
