/**
 * An id the studio made (a cuid, hex digits): letters, digits, "-" and "_". Ids name folders (a
 * trajectory's, an export's), so an id from a request is checked against this before it meets a
 * path: Next decodes %2F, and a "../" in one must never reach the file system.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
