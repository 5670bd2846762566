/** Where an export file is written until it is whole, then renamed over its name: a kill midway leaves the earlier export as it was. */
export function partialFile(file: string): string {
  return `${file}.partial`;
}
