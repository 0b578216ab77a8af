/**
 * What the user dropped or picked, as files with their paths inside what was dropped: a dropped
 * folder is walked (webkitGetAsEntry), a picked folder (<input webkitdirectory>) carries
 * webkitRelativePath. Hidden files (".DS_Store", "._x.jpg") are left out.
 */
export interface PickedFile {
  file: File;
  relPath: string;
}

const hidden = (name: string) => name.startsWith('.');

export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files].map((file) => ({ file, relPath: file.name }));
  const out: PickedFile[] = [];
  for (const e of entries) await walk(e, '', out);
  return out;
}

export function filesFromInput(list: FileList): PickedFile[] {
  return [...list]
    .map((file) => ({ file, relPath: file.webkitRelativePath || file.name }))
    .filter((f) => !f.relPath.split('/').some(hidden));
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (hidden(entry.name)) return;
  const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relPath: rel });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands back at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, rel, out);
  }
}

/** The one folder everything sits in ("photos" for photos/a.jpg, photos/b/c.jpg), if there is one. */
export function commonFolder(files: PickedFile[]): string | null {
  const first = files[0]?.relPath.split('/')[0];
  if (!first || files.some((f) => !f.relPath.includes('/') || f.relPath.split('/')[0] !== first)) return null;
  return first;
}
