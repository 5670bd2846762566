/** A named thing (environment, trajectory, version...) does not exist; route handlers answer 404. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}
