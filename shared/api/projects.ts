import { z } from 'zod';
import { method } from './contract.js';

export interface ProjectInfo {
  dir: string;
  name: string;
  createdAt: string;
  schemaVersion: number;
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

const dir = z.string().trim().min(1, 'a project folder path is required');

export const projectsSpec = {
  create: method<ProjectInfo>()(z.object({ dir, name: z.string().trim().min(1).max(200).optional() })),
  open: method<ProjectInfo>()(z.object({ dir })),
  close: method<void>()(z.object({})),
  current: method<ProjectInfo | null>()(z.object({})),
  recent: method<RecentProject[]>()(z.object({})),
};
