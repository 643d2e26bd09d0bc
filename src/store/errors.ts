// Store failures other than UniqueViolation, shared by every adapter so callers can map them the same way.

/** A pagination cursor that no listing of this store produced (or one of a different listing). */
export class InvalidCursor extends Error {
  constructor() {
    super("invalid pagination cursor");
    this.name = "InvalidCursor";
  }
}

/**
 * A write referred to a record that does not exist: a client, user, group, key or session of an unknown
 * pool, a membership of an unknown user or group, a code or refresh token of an unknown user, an update
 * of an unknown user. The domain checks existence first, so this is a bug, never a wire error.
 */
export class MissingRecord extends Error {
  constructor(what: string) {
    super(`missing record: ${what}`);
    this.name = "MissingRecord";
  }
}
