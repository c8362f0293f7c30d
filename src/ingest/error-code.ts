/** The `code` of a Node.js system or zlib error, such as `ENOENT` or `Z_BUF_ERROR`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
