export { ArgoCdSyncAnnotations, SyncRole } from './sync';
export { ArgoCdAppOfApps, ArgoCdAppProject, ArgoCdApplication } from './application';
export type { ArgoCdAppOfAppsProps, ArgoCdAppProjectProps, ArgoCdApplicationProps, ArgoCdIgnoreDifference } from './application';
