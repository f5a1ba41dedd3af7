// The opaque cursor of GET /v1/tenants: the last tenant name of the previous page, base64url-encoded
// so clients treat it as a token (the encoding can change without breaking them).

export function encodeListCursor(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url');
}

/** The name to continue after, or null when the text is not a cursor this service made. */
export function decodeListCursor(cursor: string): string | null {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node's decoder skips invalid characters; re-encoding rejects anything but an exact cursor.
  return name !== '' && encodeListCursor(name) === cursor ? name : null;
}
