export { ProjectStore, PROJECT_FILE, INTERRUPTED_MESSAGE, type StoredWeights, type RunPatch } from './project-store.js';
export { RecentProjects, RECENT_FILE, RECENT_MAX } from './recent.js';
export { migrate, checkMigrationList, latestVersion, readFileVersion, assertReadable, schemaVersion } from './migrate.js';
export { MIGRATIONS, type Migration, type Db } from './migrations/index.js';
