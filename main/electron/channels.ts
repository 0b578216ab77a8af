/**
 * The IPC channels between the preload and the main process, written once. The preload forwards
 * only these (as VS Code's validateIPC allows only known channel prefixes).
 */
export const CHANNELS = {
  invoke: 'layerbench:invoke',
  event: 'layerbench:event',
  pickFile: 'layerbench:pick-file',
  pickFolder: 'layerbench:pick-folder',
} as const;

export const SCHEME = 'layerbench';
/** The renderer's origin: `layerbench://app/index.html`. */
export const APP_ORIGIN = `${SCHEME}://app`;
/** Files of the open project: `layerbench://media/<path relative to the project folder>`. */
export const MEDIA_ORIGIN = `${SCHEME}://media`;
