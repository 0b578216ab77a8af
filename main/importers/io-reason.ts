/** A failed file access in words, for importers' messages: "no such file (ENOENT)". */
const WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return `${WORDS[code] ?? 'read failed'} (${code})`;
  return e instanceof Error ? e.message : String(e);
}
