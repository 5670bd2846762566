/** The media type of a Content-Type header, lower-cased and without parameters ("" when absent). */
function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isJsonContentType(contentType: string | null | undefined): boolean {
  return mediaType(contentType) === "application/json";
}

export function isMultipartContentType(contentType: string | null | undefined): boolean {
  return mediaType(contentType) === "multipart/form-data";
}
